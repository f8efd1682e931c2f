/* nn_exp.h — what every experiment program does around its own science.
 *
 *   settings s = {0};                            // every default comes from the config
 *   nn_exp e = {0};
 *   int rc = nn_exp_start(&e, &def, &s, argc, argv);  // config, profile, flags, arms
 *   if (rc >= 0) return rc;
 *   if ((rc = nn_exp_load_data(&e))) return rc;       // data set into e.data
 *   for each arm i: const settings *a = e.arm_set[i]; train over e.S seeds …
 *   nn_exp_claim_seeds(&e, &claim, per_seed);          // verdict with its evidence
 *   return nn_exp_finish(&e);                          // write, print the verdicts
 *
 * The document gets: experiment, description, profile, config (resolved), arms (each arm's
 * overrides and resolved settings), dataset, environment, conditions (nn_grid.h), summary.tables, claims,
 * wall_seconds.
 */
#ifndef NN_EXP_H
#define NN_EXP_H

#include "nn_cli.h"
#include "nn_netcfg.h"
#include "nn_claim.h"
#include "nn_results.h"

#include <stddef.h>

/* Settings every experiment has. A program's settings struct begins with one of these. */
typedef struct nn_exp_common {
    char data[NN_STR];  /* mnist, fashion, spirals, blobs */
    int seed;           /* first seed; runs use seed, seed+1, … */
    int seeds;          /* repetitions */
    int n_train;        /* 0 = all training samples */
    int n_test;         /* 0 = all test samples */
} nn_exp_common;

#define NN_EXP_MAX_FIELDS 96

/* What a program tells the frame about itself. */
typedef struct nn_exp_def {
    const char *name, *summary;
    const char *builtin_config; /* experiments/<name>.json as built into the program (NN_EXP_BUILTIN_CONFIG) */
    size_t size;                /* sizeof the settings struct (it begins with nn_exp_common) */
    /* Write the field table of the settings at `s` into f (no terminator) and the keys the
     * program refuses, with why, into r (no terminator); return the field count and set *n_r. */
    int (*fields)(void *s, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r);
} nn_exp_def;

typedef struct nn_exp {
    nn_cli cli;
    const nn_exp_def *def;
    void *set;                   /* the program's settings (shared, after config, profile and flags) */
    const nn_exp_common *common;
    nn_cfg_field fields[NN_EXP_MAX_FIELDS + 1];
    nn_cfg_refusal refused[NN_EXP_MAX_FIELDS + 1];
    cJSON *doc, *summary;
    nn_split data;
    int have_data;
    double t0;
    /* seeds */
    int S;                       /* common->seeds */
    uint64_t *seeds;             /* S seed numbers: seed, seed + 1, … (64-bit: seed + r never overflows) */
    /* arms (experiments whose config has "arms"): resolved settings per arm that runs */
    int n_arms;
    char **arm_name;             /* n_arms names, config order */
    char **arm_label;            /* "NAME (key value, …)" */
    int *arm_n_overrides;        /* how many settings each arm sets */
    void **arm_set;              /* n_arms resolved settings structs */
    /* the grid of conditions × seeds and its measures (nn_grid.h) */
    struct nn_grid *grid;
    /* vectors handed out by nn_exp_vec, freed by finish/abort */
    void **owned;
    int n_owned, cap_owned;
} nn_exp;

/* Append the common fields at `out`; returns how many (5). */
int nn_exp_common_fields(nn_exp_common *c, nn_cfg_field *out);
/* Parse the command line: defaults from experiments/<name>.json (or the copy built into the
 * program), --config, the profile, flags; resolve the arms. `settings` is the program's struct
 * (zeroed: every default comes from the config). Returns −1 to go on, otherwise the exit
 * status to return: 0 after --help, 2 after printing a bad setting. */
int nn_exp_start(nn_exp *e, const nn_exp_def *def, void *settings, int argc, char **argv);
/* nn_exp_start, then nn_exp_load_data: the beginning of every program that needs nothing between the two.
 * Returns −1 to go on, otherwise the exit status to return. */
int nn_exp_begin(nn_exp *e, const nn_exp_def *def, void *settings, int argc, char **argv);
/* A program's whole main: its settings (def->size bytes, zeroed: every default comes from the config), the command
 * line and the data (nn_exp_begin), then run(e, settings) — its conditions, its cells (nn_grid_run), its tables and
 * claims — and nn_exp_finish. run returns −1 to finish, or the exit status having freed the experiment (as
 * nn_grid_run does). Returns the program's exit status. */
typedef int (*nn_exp_run_fn)(nn_exp *e, void *settings);
int nn_exp_main(const nn_exp_def *def, nn_exp_run_fn run, int argc, char **argv);
/* Load the data set common->data with common->n_train/n_test and record it in the document.
 * Returns 0, or 1 after printing the error and freeing the experiment. */
int nn_exp_load_data(nn_exp *e);
/* The shared network and optimizer settings resolved against the loaded data (inputs and
 * classes); returns 0, or 2 after printing the bad setting and freeing the experiment. */
int nn_exp_netcfg(nn_exp *e, const nn_netcfg *c, nn_mlp_spec *spec, nn_optim *opt);
/* Print "<program>: <message>", free the experiment, and return `code` (for `return nn_exp_fail(…)`). */
int nn_exp_fail(nn_exp *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Judge the claims the config declares (nn_decl.h), write the document atomically, print the one-line verdict
 * summary; returns the exit code (0; 1 when the file could not be written; 2, writing nothing, when a declared
 * claim names a measure or number the run did not make). Frees everything. */
int nn_exp_finish(nn_exp *e);
/* Free without writing (after an error). */
void nn_exp_abort(nn_exp *e);
/* Progress line on stderr (always, one line per call: these are long-run milestones). */
void nn_exp_say(const nn_exp *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- arms and seeds ------------------------------------------------------------------ */

/* The index of the arm called `name` among those that run, or −1. */
int nn_exp_arm_index(const nn_exp *e, const char *name);
/* How many settings arm a overrides (0: the arm is the shared settings themselves). */
int nn_exp_arm_n_overrides(const nn_exp *e, int a);
/* "NAME (key value, key value)": the arm's name and its overrides, as the document records them. */
const char *nn_exp_arm_label(const nn_exp *e, int a);
/* A vector of e->S doubles, all NaN, owned by the experiment (freed by finish/abort). */
double *nn_exp_vec(nn_exp *e);
/* Memory of n × size bytes, zeroed, owned by the experiment. */
void *nn_exp_alloc(nn_exp *e, size_t n, size_t size);
/* "arm 'NAME' did not run in this run (--arms)": a reason for an unmeasured claim (owned). */
const char *nn_exp_missing_arm(nn_exp *e, const char *name);
/* printf into memory owned by the experiment. */
const char *nn_exp_str(nn_exp *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "0.5, 1.5 and 3": n numbers (%g) as words, owned by e like nn_exp_str's */
const char *nn_exp_reals(nn_exp *e, const double *v, int n);
/* Chance accuracy of the loaded data set, in % (100 / classes). */
double nn_exp_chance_pct(const nn_exp *e);
/* How far above chance (points) a net must end to count as trained, for a comparison with it. */
#define NN_EXP_TRAINED_MARGIN 10.0
/* What the test set can resolve, in points: two standard errors of the difference between two
 * accuracies p (acc_pct, clamped to [1, 99] %) on the n test images, 2·sqrt(2p(1 − p)/n) — the
 * tolerance of "no worse" and "no better" claims. */
double nn_exp_resolution_pct(const nn_exp *e, double acc_pct);
/* The same on n test images. */
double nn_exp_resolution_n(double acc_pct, int n);
/* The control "`what` leaves chance": acc_pct (a test accuracy in %) above chance by the margin; it
 * rules out the first objection to a comparison with that net, that the net did not train. */
void nn_exp_require_trained(const nn_exp *e, nn_claim *c, const char *what, double acc_pct);
/* The worst of S per-seed values (a NaN seed — diverged, failed — counts as −∞): for a
 * precondition that must hold in every seed. */
double nn_exp_worst(const nn_exp *e, const double *v);
/* The same for a value that must stay low: the largest of the S values, a NaN seed counting as +∞. */
double nn_exp_worst_high(const nn_exp *e, const double *v);
/* A sweep's best setting so far, per seed in best[]: cand[] replaces it when cand was measured in every seed and
 * its mean is better (higher with higher_is_better, lower otherwise), or best's mean is not a number.
 * Returns 1 when it replaced best. */
int nn_exp_keep_best(const nn_exp *e, double *best, const double *cand, int higher_is_better);
/* A claim that a net fails to train (a deep sigmoid net from scratch): per seed, final test
 * accuracy (%) within the trained margin of chance; a seed that diverged gives no measurement.
 * `kind` is NN_LECTURE where the failure is the lecture's point, NN_SETUP where it is the
 * baseline another claim needs. */
nn_verdict nn_exp_claim_stalls(nn_exp *e, nn_claim_kind kind, const char *id, const char *statement, const char *source,
                               const double *acc_pct);
/* A comparison with a baseline that must train: per seed, treated − baseline (test accuracies
 * in %, paired by seed, on n_test images), with the control that the baseline (`baseline_what`,
 * e.g. "the student trained alone") leaves chance in every seed. The claim is that treated is
 * better (op ">"): its threshold is what the test set resolves at the baseline's mean accuracy,
 * nn_exp_resolution_n, the tolerance the lab's "no better" claims use, so an effect of a few test
 * images does not count. */
nn_verdict nn_exp_claim_gain(nn_exp *e, nn_claim *c, const double *treated, const double *baseline, const char *baseline_what,
                             int n_test);
/* Judge a claim measured over the experiment's seeds (sets c->n = S and c->seed) and add it;
 * with c->unmeasured set, per_seed may be NULL and the claim is added as not measured. */
nn_verdict nn_exp_claim_seeds(nn_exp *e, nn_claim *c, const double *per_seed);
/* Judge a deterministic claim (one measurement) and add it. */
nn_verdict nn_exp_claim_once(nn_exp *e, nn_claim *c, double measured);


/* ---- networks declared as a list of layers (nn_arch.h) -------------------------------
 * A CNN experiment's settings hold `const cJSON *layers` (field nn_exp_layers_field) next to
 * an nn_netcfg whose MLP-only keys it refuses (nn_exp_arch_refusals): init, bias_init,
 * bn_eps, bn_momentum, head_alpha, the optimizer and the schedule still come from the netcfg. */
nn_cfg_field nn_exp_layers_field(const cJSON **layers, const char *help);
extern const nn_cfg_refusal nn_exp_arch_refusals[]; /* {NULL} terminated */
/* The per-sample shape of the loaded data: 1 × 28 × 28 for the image sets, else 1 × 1 × d. */
void nn_exp_input_shape(const nn_dataset *ds, int *c, int *h, int *w);
/* Build `layers` for data set ds (its shape and classes) with c's init and batch-norm settings,
 * without its heads when skip_heads; NULL with a message naming the entry. */
nn_net *nn_exp_arch_net(const nn_netcfg *c, const cJSON *layers, const nn_dataset *ds, int skip_heads, int max_batch,
                        uint64_t seed);
/* Train a built net with a copy of `opt` (tc.seed: the shuffling stream); 0, or −1 with a message. */
/* nn_train, or the end of the program: its refusal (a mini-batch of one sample with batch norm, a
 * batch larger than the net was built for) is printed with the program's name and the program
 * exits 2. A run that did not happen must never reach a claim as if it had (found by the settings
 * fuzzer: batchnorm --batch 1 reported "not held" from runs that never trained). */
void nn_exp_train(nn_net *net, nn_optim *opt, const nn_dataset *train, const nn_dataset *test, const nn_train_cfg *tc,
                  nn_history *h);
__attribute__((warn_unused_result)) int nn_exp_train_net(nn_net *net, const nn_optim *opt, const nn_train_cfg *tc,
                                                         const nn_dataset *train, const nn_dataset *test, nn_history *h);

/* nn_mlp_build, or the end of the program: a spec the library refuses (a head beyond the hidden
 * layers an experiment's sweep left, a network too large for memory) is printed with the program's
 * name and the program exits 2 (found by the settings fuzzer: regularization --heads 64,1 went on
 * with a NULL net). */
nn_net *nn_exp_build(const nn_mlp_spec *spec, int max_batch, uint64_t seed);
/* nn_net_finalize, or the end of the program (exit 2 with the library's message: a network
 * larger than this process may hold) for the nets an experiment builds by hand. */
void nn_exp_finalize(nn_net *net, int max_batch, uint64_t seed);
/* Build spec's MLP from `seed`, train it with a copy of the optimizer settings `opt`
 * and `tc` (its seed replaced by `seed`), and fill h. Returns 0, or −1 with a message
 * (configuration errors). Diverged runs return 0 with h->diverged set. */
int nn_exp_train_mlp(const nn_mlp_spec *spec, const nn_optim *opt, nn_train_cfg tc, uint64_t seed,
                     const nn_dataset *train, const nn_dataset *test, nn_history *h);
/* The last epoch's value of a field for one history (NaN if it diverged or is empty). */
double nn_exp_final(const nn_history *h, size_t field);

/* A table for people (the lecture notes and the report print it as it is): appends
 * {"caption", "columns": [...], "rows": []} to summary.tables and returns its rows array;
 * add rows with nn_exp_row. Cells are numbers (NaN → null) or strings. */
cJSON *nn_exp_table(nn_exp *e, const char *caption, int n_columns, const char *const *columns);
/* Append a row; `fmt` has one letter per cell: 'n' a double, 's' a string, 'i' an int. */
void nn_exp_row(cJSON *rows, const char *fmt, ...);

/* Mean and (population) standard deviation of x[0..n), two passes; NaN entries are skipped.
 * nn_mean_std_n also returns how many entries were finite. */
int nn_mean_std_n(const double *x, int n, double *mean, double *std);
void nn_mean_std(const double *x, int n, double *mean, double *std);

#endif
