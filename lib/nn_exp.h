/* nn_exp.h — what every experiment program does around its own science.
 *
 *   nn_exp e;
 *   int rc = nn_exp_start(&e, "depth", "…", fields, argc, argv);  // flags + config
 *   if (rc) return rc == 1 ? 0 : 2;
 *   if (nn_exp_load_data(&e, e.common.data, …)) return 1;          // data set into e.data
 *   … train, cJSON_AddItemToObject(e.runs, …), nn_results_claim(e.doc, …) …
 *   return nn_exp_finish(&e);                                       // write, print claims
 *
 * The document gets: experiment, description, profile, config (resolved), dataset,
 * environment, runs, summary, claims, wall_seconds.
 */
#ifndef NN_EXP_H
#define NN_EXP_H

#include "nn_cli.h"
#include "nn_netcfg.h"
#include "nn_results.h"

#include <stddef.h>

/* Settings every experiment has. */
typedef struct nn_exp_common {
    char data[NN_STR];  /* mnist, fashion, spirals, blobs */
    int seed;           /* first seed; runs use seed, seed+1, … */
    int seeds;          /* repetitions */
    int n_train;        /* 0 = all training samples */
    int n_test;         /* 0 = all test samples */
} nn_exp_common;

typedef struct nn_exp {
    nn_cli cli;
    const nn_exp_common *common; /* the program's own, filled in by the parse */
    cJSON *doc, *runs, *summary;
    nn_split data;
    int have_data;
    double t0;
} nn_exp;

/* Append the common fields at `out`; returns how many (5). */
int nn_exp_common_fields(nn_exp_common *c, nn_cfg_field *out);
/* Parse the command line (config experiments/<name>.json, output results/<name>.json);
 * `common` is the program's own struct that `fields` point into. Returns −1 to go on,
 * otherwise the exit status to return: 0 after --help, 2 after printing a bad setting. */
int nn_exp_start(nn_exp *e, const char *name, const char *summary, nn_cfg_field *fields, const nn_exp_common *common,
                 int argc, char **argv);
/* Load the data set common->data with common->n_train/n_test and record it in the document.
 * Returns 0, or 1 after printing the error and freeing the experiment. */
int nn_exp_load_data(nn_exp *e);
/* The shared network and optimizer settings resolved against the loaded data (inputs and
 * classes); returns 0, or 2 after printing the bad setting and freeing the experiment. */
int nn_exp_netcfg(nn_exp *e, const nn_netcfg *c, nn_mlp_spec *spec, nn_optim *opt);
/* Print "<program>: <message>", free the experiment, and return `code` (for `return nn_exp_fail(…)`). */
int nn_exp_fail(nn_exp *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Write the document atomically, print the one-line claim summary; returns the exit code
 * (0, or 1 when the file could not be written). Frees everything. */
int nn_exp_finish(nn_exp *e);
/* Free without writing (after an error). */
void nn_exp_abort(nn_exp *e);
/* Progress line on stderr (always, one line per call: these are long-run milestones). */
void nn_exp_say(const nn_exp *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Build spec's MLP from `seed`, train it with a copy of the optimizer settings `opt`
 * and `tc` (its seed replaced by `seed`), and fill h. Returns 0, or −1 with a message
 * (configuration errors). Diverged runs return 0 with h->diverged set. */
int nn_exp_train_mlp(const nn_mlp_spec *spec, const nn_optim *opt, nn_train_cfg tc, uint64_t seed,
                     const nn_dataset *train, const nn_dataset *test, nn_history *h);
/* Append {"group", "label", "seed", "history"} to the runs; returns the run object. */
cJSON *nn_exp_add_run(nn_exp *e, const char *group, const char *label, uint64_t seed, const nn_history *h);
/* Per-epoch mean/std over runs of the nn_epoch field at byte offset `field`
 * (e.g. offsetof(nn_epoch, test_acc)); runs shorter than the longest (diverged)
 * contribute NaN, which the mean skips. */
cJSON *nn_exp_history_mean_std(const nn_history *h, int n_runs, size_t field);
/* The last epoch's value of a field for one history (NaN if it diverged or is empty). */
double nn_exp_final(const nn_history *h, size_t field);

/* A table for people (the lecture notes and the report print it as it is): appends
 * {"caption", "columns": [...], "rows": []} to summary.tables and returns its rows array;
 * add rows with nn_exp_row. Cells are numbers (NaN → null) or strings. */
cJSON *nn_exp_table(nn_exp *e, const char *caption, int n_columns, const char *const *columns);
/* Append a row; `fmt` has one letter per cell: 'n' a double, 's' a string, 'i' an int. */
void nn_exp_row(cJSON *rows, const char *fmt, ...);

/* Mean and (population) standard deviation of x[0..n); NaN entries are skipped. */
void nn_mean_std(const double *x, int n, double *mean, double *std);
/* {"mean": [...], "std": [...]} of runs[r][i], r < n_runs, i < len. */
cJSON *nn_json_mean_std(double *const *runs, int n_runs, int len);

#endif
