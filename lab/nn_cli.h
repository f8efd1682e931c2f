/* nn_cli.h — settings: a typed table of config keys, read from JSON and from flags.
 *
 * A program declares its settings once, as a table of fields pointing into its own
 * settings struct. Then, in this order, each layer over the one before:
 *   1. the defaults: experiments/<name>.json (or the copy built into the program), which must
 *      set every key, each in the table, with the right type and within range;
 *   2. the profile block of the defaults: with --quick their "quick" object, with --full their
 *      "full" object;
 *   3. --config FILE: the keys it sets (it need not repeat the others), its "arms" (and "claims") replacing the
 *      defaults', then its own profile block;
 *   4. flags: --seed, --epochs, --data and any config key as --KEY VALUE or
 *      --KEY=VALUE (lists as comma-separated values, e.g. --hidden 30,30).
 * An unknown key or flag, a wrong type or a value out of range is an error naming it.
 * Shared flags: --help, --config FILE, --seed N, --epochs N, --quick, --full,
 * --data NAME, --out FILE, --threads N.
 */
#ifndef NN_CLI_H
#define NN_CLI_H

#include <cjson/cJSON.h>

#include "nn_common.h"

#define NN_STR 64       /* capacity of a string setting */

/* NN_CFG_JSON: a JSON array or object kept as it is (e.g. a network's "layers", read by nn_arch).
 * ptr is a `const cJSON **`; the value it points to is owned by a pool that nn_cli_free
 * empties, so settings structs that are copied (arms) may share it. A flag's value is
 * JSON text (--layers '[{"dense": 100}]'). */
typedef enum {
    NN_CFG_INT,
    NN_CFG_REAL,
    NN_CFG_BOOL,
    NN_CFG_STR,
    NN_CFG_INT_LIST,
    NN_CFG_REAL_LIST,
    NN_CFG_STR_LIST,
    NN_CFG_JSON
} nn_cfg_type;

typedef struct nn_cfg_field {
    const char *key;
    nn_cfg_type type;
    void *ptr;                  /* int*, double*, int* (bool), char[NN_STR], int[], double[], char[][NN_STR], const cJSON ** */
    double min, max;            /* inclusive range of numbers (and of list elements) */
    const char *const *choices; /* strings: the allowed values (NULL-terminated), or NULL for any */
    int *len;                   /* lists: element count */
    int max_len;                /* lists: capacity (≥ 1); a list may not be empty unless min_len is 0 */
    int min_len;
    const char *help;
} nn_cfg_field;

/* Apply the keys of a JSON object; `where` names the source in messages
 * (e.g. "experiments/depth.json"). Keys listed in `skip` are left alone. */
int nn_cfg_apply_json(const nn_cfg_field *fields, const cJSON *obj, const char *where, const char *const *skip);
/* Set one key from text (a flag's value). */
int nn_cfg_set_text(const nn_cfg_field *fields, const char *key, const char *value, const char *where);
const nn_cfg_field *nn_cfg_find(const nn_cfg_field *fields, const char *key);
/* The resolved settings as a JSON object (new; caller owns). */
cJSON *nn_cfg_to_json(const nn_cfg_field *fields);
/* One line per key: name, current value, help, and the allowed choices or range. */
void nn_cfg_print(const nn_cfg_field *fields, FILE *f);

/* A key this program knows of but does not honour: using it is an error that says why. */
typedef struct nn_cfg_refusal {
    const char *key;
    const char *why;
} nn_cfg_refusal;

typedef struct nn_cli {
    /* set by the program */
    const char *prog;           /* e.g. "depth" */
    const char *summary;        /* one line: what the program does */
    const char *default_config; /* e.g. "experiments/depth.json"; NULL = none */
    const char *builtin_config; /* the text of default_config as built into the program (used when
                                   the file is not there); NULL = none */
    int require_all;            /* the default config must set every key (defaults live only there) */
    const nn_cfg_refusal *refused; /* {NULL} terminated, or NULL */
    const char *default_out;    /* e.g. "runs/depth.json": never results/, the reference run */
    nn_cfg_field *fields;       /* NULL-key terminated */
    /* filled by nn_cli_parse */
    char config_path[1024];     /* the config file read ("" if none) */
    char arms_source[1100];     /* where the arms came from (for messages) */
    char *out;          /* --out, or the default (owned; any length the system allows) */
    int quick, full, threads;
    char profile[8];            /* "quick", "default" or "full" */
    char config_source[1100];   /* where the defaults came from (a path, or "built-in copy of …") */
    cJSON *arms;                /* the config's "arms" object (owned; NULL if none) */
    cJSON *claims;              /* the config's "claims" list (owned; NULL if none): nn_decl.h */
    char *arm_select;           /* --arms value (owned; NULL = every arm) */
    char *slice, *merge;        /* --slice C:R and --merge DIR (owned; NULL = none): nn_grid.h */
    const char **flag_keys;     /* keys set by flags (owned array of field keys) */
    int n_flag_keys;
} nn_cli;

/* Free what nn_cli_parse allocated. */
void nn_cli_free(nn_cli *cli);

/* Returns 0 to go on, 1 when --help was printed (exit 0), −1 on an error (message in
 * nn_error(); exit non-zero). Sets the BLAS thread count. */
int nn_cli_parse(nn_cli *cli, int argc, char **argv);

#endif
