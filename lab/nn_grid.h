/* nn_grid.h — an experiment as a declared grid: conditions × seeds, one function per cell.
 *
 * A program names its conditions (the config's arms, or points it makes from its settings),
 * writes one function that runs one cell — one condition, one seed — and records what it
 * measured by name, and declares its claims over those names. The frame owns the rest:
 * the loops, each measure's statistics over seeds, the results layout, the tables of
 * measures, the progress lines. Nothing is read back from the results document: measures
 * are kept in memory until nn_exp_finish writes them.
 *
 *   static int cell(nn_exp *e, const nn_cell *c, void *ctx) {
 *       const settings *s = c->set;                       // this condition's settings
 *       … train a net from c->seed …
 *       nn_measure(e, c, "train_loss", loss);            // a number per cell
 *       nn_measure_history(e, c, &h);                     // the training record (per-epoch series)
 *       return 0;
 *   }
 *   nn_grid_arms(e);  or  nn_grid_condition(e, "plain-8", label, &set, "plain", 8);
 *   if ((rc = nn_grid_run(e, cell, &ctx)) >= 0) return rc;
 *   nn_grid_ratio(e, "train_loss", deep, shallow) → per-seed values for nn_exp_claim_seeds
 *
 * Layout: "conditions": [{"name", "label", "group", "x", "seeds": [{"seed", "measures": {NAME:
 * number or [series]}, "history"}], "summary": {NAME: {"mean", "std", "min", "max", "n"}, "history":
 * {FIELD: {"mean", "std", "min", "max"}}}}] — for a series each of mean/std/min/max is a list over its index
 * (NaN entries, a seed that stopped early, skipped); summary.history gives each field of the training records
 * (lr, train_loss, train_acc, test_loss, test_acc) per epoch, from the doubles. Beside it "derived": {NAME:
 * number, [S numbers] or [names]} when the program gave any (nn_grid_derived, nn_grid_per_seed,
 * nn_grid_derived_names), and "also_datasets" when it trained on further data sets (nn_grid_load_data,
 * nn_grid_dataset). */
#ifndef NN_GRID_H
#define NN_GRID_H

#include "nn_exp.h"

typedef struct nn_cell {
    int cond;           /* the condition's index, in the order they were declared */
    int r;              /* the seed's index, 0 … S − 1 */
    uint64_t seed;      /* e->seeds[r] */
    const void *set;    /* the condition's settings (the program's struct) */
    const char *name;   /* the condition's name */
    const char *label;  /* its label for progress lines */
} nn_cell;

/* Declare a condition: a name (unique; an arm's name is any text of the config), a label for people, its
 * settings (copied: def->size bytes), the group a figure draws it in (letters, digits, '-', '_', '.': a
 * figure takes the groups as words; NULL: "all") and its position x there (NaN: none). Returns its index. */
int nn_grid_condition(nn_exp *e, const char *name, const char *label, const void *set, const char *group, double x);
/* One condition per arm of the config (name, the arm's label "NAME (key value, …)", its settings; group
 * "arms", x its index). Returns the number of conditions. */
int nn_grid_arms(nn_exp *e);
int nn_grid_n(const nn_exp *e);
/* The index of the condition called `name`, or −1. */
int nn_grid_find(const nn_exp *e, const char *name);
const void *nn_grid_set(const nn_exp *e, int cond);
const char *nn_grid_name(const nn_exp *e, int cond);
/* Did condition `cond` record a measure called `name`: 0 no, 1 a number per seed, 2 a series. */
int nn_grid_has(const nn_exp *e, int cond, const char *name);
const char *nn_grid_label(const nn_exp *e, int cond);

/* Run every cell: conditions in order, each over the seeds; after a condition, one progress line
 * with its scalar measures (mean ± std). Returns −1 to go on to the tables and claims, or the exit status
 * having freed the experiment: a cell's own code (it returns 0, or that code after its message), 2 for a bad
 * --slice or --merge, and 0 (or 1 when it cannot be written) after writing a slice:
 *   --slice C:R   runs only the cells of conditions C and seed indices R ('i', 'i-j' or '*', from 0) of the
 *                 grid the settings make, and writes them to --out to the last bit (measures, training
 *                 records), with the run's config, arms and data set, and no claims;
 *   --merge DIR   runs no cell: it reads every slice in DIR, refuses one of another run (config, arms, data
 *                 set, conditions or seeds differ), a cell twice or a cell missing, and goes on with every cell
 *                 as a whole run would have made it — the same tables, claims and document, timing aside.
 * A cell may depend on its condition, its seed and its seed's index, never on another cell. */
typedef int (*nn_grid_cell_fn)(nn_exp *e, const nn_cell *c, void *ctx);
int nn_grid_run(nn_exp *e, nn_grid_cell_fn cell, void *ctx);
/* Declare that a seed's cells build on each other (a cell uses a net or a number an earlier condition's cell of
 * the same seed left in ctx): --slice then takes every condition ('*:SEEDS'), and says `why` otherwise. A cell that
 * reads another condition's measures is caught without it: in a slice without that condition, the run stops. */
void nn_grid_seedwise(nn_exp *e, const char *why);
/* Did this run's cells come from slices (--merge)? */
int nn_grid_merged(const nn_exp *e);

/* A further data set the conditions train on beside e->data (cnn runs every arm on `data`, then on each of
 * `also_data`): loaded as nn_exp_load_data loads e->data (the same n_train, n_test and seed) into *out, which the
 * program frees (nn_split_free), and recorded in the document's "also_datasets" (the report names them). Returns 0,
 * or 1 after printing the error and freeing the experiment. */
int nn_grid_load_data(nn_exp *e, const char *name, nn_split *out);

/* ---- what a cell records ------------------------------------------------------------ */
void nn_measure(nn_exp *e, const nn_cell *c, const char *name, double v);
void nn_measure_series(nn_exp *e, const nn_cell *c, const char *name, const double *v, long n);
/* The same for numbers a reader checks to more digits than the document keeps of a measure (9 significant): the
 * cell's values are written with every digit (its summary over seeds is rounded as any other). */
void nn_measure_series_exact(nn_exp *e, const nn_cell *c, const char *name, const double *v, long n);
/* A picture a figure draws (filters, a feature map): kept per cell, without the statistics over seeds a series gets
 * in the summary (a figure reads it with MS()). */
void nn_measure_picture(nn_exp *e, const nn_cell *c, const char *name, const double *v, long n);
/* The cell's training record: its history (per-epoch series, divergence, timing) as the document
 * keeps it (nn_results_history). */
void nn_measure_history(nn_exp *e, const nn_cell *c, const nn_history *h);

/* The lab's one way to train a cell's MLP: build `spec` from the cell's seed, train it with a copy of
 * `opt` on the experiment's data (tc.seed becomes the cell's; tc.label, when NULL, "<label> seed N";
 * progress on), record the history in the cell and fill h. Returns the trained net (the caller
 * frees it and h); a net or a run the library refuses ends the program (nn_exp_build, nn_exp_train). */
nn_net *nn_cell_train(nn_exp *e, const nn_cell *c, const nn_mlp_spec *spec, const nn_optim *opt, nn_train_cfg tc,
                      nn_history *h);
/* The same for a net the program built itself from the cell's seed (one no nn_mlp_spec describes: max-out
 * units, a list of layers): train `net` in place as nn_cell_train does, record the history, fill h. */
void nn_cell_train_net(nn_exp *e, const nn_cell *c, nn_net *net, const nn_optim *opt, nn_train_cfg tc, nn_history *h);

/* ---- reading measures (memory, not the document) ---------------------------------- */
/* The S per-seed values of a scalar measure of a condition (NaN where a seed did not record it);
 * owned by the experiment. The measure must exist (a programming error otherwise). */
const double *nn_grid_values(nn_exp *e, int cond, const char *name);
/* Mean and std over seeds (NaN skipped); returns how many seeds were finite. */
int nn_grid_mean_std(nn_exp *e, int cond, const char *name, double *mean, double *std);
/* The same for element t of a series measure (a seed whose series is shorter counts as NaN there): the numbers of
 * the summary's lists, for a program's own table. */
int nn_grid_series_mean_std(nn_exp *e, int cond, const char *name, long t, double *mean, double *std);
/* The lowest and the highest value of a measure over the seeds that recorded one (NaN: none did). */
double nn_grid_min(nn_exp *e, int cond, const char *name);
double nn_grid_max(nn_exp *e, int cond, const char *name);
/* The pooled within-condition standard deviation of a scalar measure over n conditions (indices conds[]):
 * √(Σ_i Σ_r (v_ir − mean_i)² / Σ_i (k_i − 1)), k_i the seeds of condition i with a value (NaN skipped; a condition
 * with fewer than 2 is left out): the seed-to-seed spread of one setting, estimated from several whose means
 * differ. *df (when not NULL) gets Σ_i (k_i − 1), the degrees of freedom; NaN when that is 0. */
double nn_grid_pooled_std(nn_exp *e, int n, const int *conds, const char *name, int *df);
/* How many seeds of a condition have a value of the measure `op` (">", ">=", "<", "<=") threshold (NaN: none). */
int nn_grid_count(nn_exp *e, int cond, const char *name, const char *op, double threshold);
/* Per seed, a's value over b's (ratio) or a's minus b's (diff) of one measure: paired by seed. */
double *nn_grid_ratio(nn_exp *e, const char *name, int a, int b);
double *nn_grid_diff(nn_exp *e, const char *name, int a, int b);

/* A table of scalar measures: one row per condition (its label), one column per measure, each cell
 * "mean ± std" with digits[j] decimals (a measure recorded in no seed: "—"; in some: "(k of S seeds)"). */
void nn_grid_table(nn_exp *e, const char *caption, int n, const char *const *measures, const char *const *headers,
                   const int *digits);

/* A row of a table in the program's own layout (nn_exp_table) whose number of cells is known only at run time
 * (one column per arm, say), which nn_exp_row's format letters cannot carry: cell j is text[j], or, where that
 * is NULL (or text is), the number num[j] (NaN → null). */
void nn_grid_row(cJSON *rows, int n, const char *const *text, const double *num);

/* A number of the experiment as a whole, computed after nn_grid_run from the conditions' summaries (a condition's
 * mean rescaled, a ratio of two conditions' means): not a cell's, so not a measure. Written as "derived": {NAME:
 * number} beside "conditions" (NaN: null); naming one again replaces it. */
void nn_grid_derived(nn_exp *e, const char *name, double v);
/* The same per seed: a number each seed gives across conditions (the best of several conditions' values, a
 * difference over a chosen pair), fn(e, r, ctx) for r = 0 … S − 1 — the frame's loop over the seeds, not the
 * program's. Written as "derived": {NAME: [S numbers]}; returns the S values (owned by the experiment). A claim
 * declared in the config may judge it ("derived": NAME, nn_decl.h). */
typedef double (*nn_grid_seed_fn)(nn_exp *e, int r, void *ctx);
const double *nn_grid_per_seed(nn_exp *e, const char *name, nn_grid_seed_fn fn, void *ctx);
/* Names the program found that a declared claim shows ({derived.NAME}) or is made for, one claim per name
 * ("for_each_name", nn_decl.h): what no setting gives, such as the layers of an arm's net, which the program finds by
 * building it. Written as "derived": {NAME: ["name", …]}; naming one again replaces it. */
void nn_grid_derived_names(nn_exp *e, const char *name, int n, const char *const *names);
/* The derived number called `name` into *v: 1, or 0 when the program gave none (or gave it per seed, or names). */
int nn_grid_derived_get(const nn_exp *e, const char *name, double *v);
/* The S values of the per-seed derived number called `name`, or NULL. */
const double *nn_grid_derived_seeds(const nn_exp *e, const char *name);
/* The derived names called `name` into *names (owned by the experiment): how many, or −1 when there are none. */
int nn_grid_derived_names_get(const nn_exp *e, const char *name, const char *const **names);

/* A data set the program loaded besides the config's (e->data; a transfer task's, say): its description (name,
 * source, sizes, checksum: nn_results_dataset) with its `role`, taken now, is appended to "also_datasets", as
 * "dataset" describes the config's (the report names them). */
void nn_grid_dataset(nn_exp *e, const char *role, const nn_split *s);

/* Write "conditions" into the document (nn_exp_finish calls it) and free the grid. */
void nn_grid_write(nn_exp *e);
void nn_grid_free(nn_exp *e);

#endif
