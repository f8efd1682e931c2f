/* nn_claim.h — a lecture claim, its evidence and its verdict.
 *
 * A claim is judged from one measurement per seed (a deterministic claim has one
 * measurement and no seed). Seed s holds when value[s] OP threshold. The verdict:
 *
 *   inconclusive  the claim was not measured in this run (an arm it needs did not run,
 *                 the setting it is about was not chosen), or a precondition failed
 *                 (the baseline never left chance, a stage of the run diverged), or a
 *                 seed gave no measurement, or the effect is within noise: the seeds disagree
 *                 (held in k of n, 0 < k < n), or they agree but the mean is closer to the
 *                 threshold than its one-sided 95 % t margin, t(n-1) x standard error;
 *   held          it held in every seed and the mean clears the threshold by more than that margin;
 *   not held      it held in no seed, with the same margin on the other side.
 *
 * The document records the rule in words, the per-seed values and seeds, held_in (k of n),
 * the effect (mean and standard error over seeds), every precondition with its measured
 * value, and the verdict with its reason. nn_claim_rejudge() recomputes the verdict from a
 * recorded claim: the tests feed it altered measurements to show that each claim can fail.
 */
#ifndef NN_CLAIM_H
#define NN_CLAIM_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>

typedef enum { NN_HELD, NN_NOT_HELD, NN_INCONCLUSIVE } nn_verdict;

/* What sort of statement a claim is (lectures/claim-rubric.md). Every claim declares one:
 *   lecture   a statement of the seeds (or the paper they cite) about networks, whose outcome the
 *             code and the algebra do not fix: the only kind that counts as evidence for a lecture;
 *   identity  true by construction of the code or the mathematics: a check that the implementation
 *             is the formula, reported beside the lecture claims and never counted as confirming one;
 *   setup     a condition the experiment arranges so that another claim can be judged (a baseline
 *             that stalls, a deep plain net that fails). */
#define NN_CLAIM_KINDS(X) X(NN_LECTURE, "lecture") X(NN_IDENTITY, "identity") X(NN_SETUP, "setup")
#define NN_CLAIM_KIND_ENUM(k, name) k,
typedef enum { NN_KIND_UNSET, NN_CLAIM_KINDS(NN_CLAIM_KIND_ENUM) NN_KIND_COUNT } nn_claim_kind;

#define NN_CLAIM_MAX_PRE 6

/* A precondition: `what` (a sentence), its measured value, and measured OP threshold. A control
 * is a precondition that rules out another explanation of a comparison: `rules_out` names it (the
 * skeptic's first objection: parameter count, budget, a net that did not train, …); NULL for a
 * plain precondition. When a control fails, the verdict is inconclusive and says what it could
 * not rule out. */
typedef struct nn_claim_pre {
    const char *what;
    double measured;
    const char *op;
    double threshold;
    const char *rules_out;
} nn_claim_pre;

typedef struct nn_claim {
    nn_claim_kind kind;    /* must be set: nn_claim_add refuses a claim without a kind */
    const char *id;
    const char *statement; /* built from the settings that ran */
    const char *source;    /* seed file (and section) or paper */
    const char *quantity;  /* what value[] measures, with units */
    const char *op;        /* "<", "<=", ">", ">=" */
    double threshold;
    /* A zone of no verdict (optional): with has_zone, a seed fails the claim only when its value does not meet
     * `op not_held_at` either (for a gain: "> 0"), and a value between not_held_at and threshold is an effect
     * the run cannot resolve, so a claim whose seeds lie there is inconclusive, not "not held". */
    int has_zone;
    double not_held_at;
    int n;                 /* measurements (seeds); 0 = not measured */
    const double *value;   /* n values; NaN = that seed gave no measurement */
    const uint64_t *seed;  /* n seed numbers, or NULL for one deterministic measurement */
    const char *unmeasured;/* non-NULL: not measured in this run, and why */
    const char *rule_note; /* optional: how the per-seed value is formed (ties, chance, …) */
    int n_pre;
    nn_claim_pre pre[NN_CLAIM_MAX_PRE];
    /* A lecture claim either carries a control (nn_claim_control) or says here why it needs none: what
     * it measures is not a comparison of two conditions (one net against chance or the seed's number,
     * a ratio within one net), or it is itself the control of another claim. nn_claim_add refuses a
     * measured lecture claim with neither (an unmeasured one carries no evidence to control). */
    const char *not_comparative;
} nn_claim;

/* One-sided 95 % quantile of Student's t with df >= 1 degrees of freedom. */
double nn_claim_t95(int df);

const char *nn_verdict_name(nn_verdict v); /* "held", "not held", "inconclusive" */
int nn_verdict_parse(const char *s, nn_verdict *v);
const char *nn_claim_kind_name(nn_claim_kind k); /* "lecture", "identity", "setup" */
/* The kind a recorded claim object declares (NN_KIND_UNSET when it declares none or an unknown one). */
nn_claim_kind nn_claim_kind_of(const cJSON *claim);

/* Add a precondition to c (at most NN_CLAIM_MAX_PRE, preconditions and controls together). */
void nn_claim_require(nn_claim *c, const char *what, double measured, const char *op, double threshold);
/* Add a control: the measurement `what` (measured OP threshold) that rules out `rules_out`. */
void nn_claim_control(nn_claim *c, const char *rules_out, const char *what, double measured, const char *op, double threshold);
/* Does `measured OP threshold` hold? Non-finite never holds. */
int nn_claim_compare(double measured, const char *op, double threshold);

/* Judge c, append it to doc["claims"] and return the verdict. */
nn_verdict nn_claim_add(cJSON *doc, const nn_claim *c);
/* The verdict a recorded claim object implies from its own per_seed values, op, threshold,
 * preconditions and "unmeasured" reason (the same rule as nn_claim_add). */
nn_verdict nn_claim_rejudge(const cJSON *claim);
/* the same, with the rule's reason (empty unless inconclusive; a failed precondition's reason is not rebuilt) */
nn_verdict nn_claim_rejudge_why(const cJSON *claim, char *why, size_t why_n);

/* The claim of doc["claims"] whose id is `id`, or NULL. */
cJSON *nn_claims_find(const cJSON *doc, const char *id);
/* Count the verdicts of doc["claims"] of kind `kind`. */
void nn_claims_count_kind(const cJSON *doc, nn_claim_kind kind, int *held, int *not_held, int *inconclusive);
/* Count the verdicts of the lecture claims of doc["claims"]: the only ones that count as evidence. */
void nn_claims_count(const cJSON *doc, int *held, int *not_held, int *inconclusive);
/* How many lecture claims of doc["claims"] are fragile (their verdict from the second seed set
 * differs: "fragile": true, written by make reference), and how many have a second verdict at all. */
int nn_claims_fragile(const cJSON *doc, int *judged_twice);
/* Record beside each claim of doc the same claim judged in `second`, the same experiment run from a
 * disjoint set of seeds (make reference: seeds from 1001): "second_seed_set" (its seeds, per-seed
 * values, held_in, effect, verdict and reason) and "fragile" (true when the two verdicts differ). A
 * claim that `second` does not have gets "second_seed_set": null and no "fragile". Returns how many
 * claims were paired, or −1 (with nn_error) when the two documents are not of one experiment or
 * share a seed. */
int nn_claims_merge_second(cJSON *doc, const cJSON *second);

/* Record in each claim of doc whose verdict is held or not held the exercises (other settings or
 * budgets of the same experiment, `exercise` the results of the one named `id`) in which it comes out
 * the opposite way: "reverses_in": [{"exercise": id, "verdict": …}]. With exercise NULL, clear every
 * claim's "reverses_in" first. Returns how many reversals were recorded, or −1 (with nn_error) when
 * the exercise is of another experiment. */
int nn_claims_merge_exercise(cJSON *doc, const cJSON *exercise, const char *id);

/* Print the one-line summary: "NAME: lecture claims 3 held, 1 not held, 1 inconclusive (not held: a;
 * inconclusive: b); identities 2 held; setup 1 held" (the last two only when there are any). */
void nn_claims_print(const cJSON *doc, FILE *f);

#endif
