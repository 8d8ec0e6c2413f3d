/*
 * cli/listing.h — the configuration as text tables for people:
 * `dtbd units` and `dtbd indicators` (DESIGN §7).
 *
 * Columns are aligned by code points (Vietnamese names are NFC, one code
 * point per letter), so the table lines up in a UTF-8 terminal. Headers are
 * Vietnamese; codes and the YAML words (agency, by_deadline) stay as written
 * in the configuration, since that is what the analyst edits.
 *
 * Ownership: reads a loaded config, writes to a caller's FILE; allocates
 * nothing that outlives the call. Dependencies: config.h and base/buf.h.
 */
#ifndef DTBD_CLI_LISTING_H
#define DTBD_CLI_LISTING_H

#include <stdio.h>

#include "config/config.h"

/* One line per unit: code, kind, valid from, valid to, successor, name.
 * Returns 0, or -1 when out of memory or the write failed. */
int config_list_units(const struct config *cfg, FILE *out);

/* One line per indicator: id, group, kind, target, first year, deadline,
 * clause, formula, wording. Returns 0, or -1 on failure. */
int config_list_indicators(const struct config *cfg, FILE *out);

#endif
