/* nn_decl.h — claims declared as data: the "claims" list of an experiment's JSON, judged by the frame.
 *
 * A lesson's claims can be read (and changed) in its config without reading C. Each entry names what it
 * judges — a measure the program's cells record (nn_measure), in which condition, against which other one —
 * and the rule; the frame judges every entry with the one rule of nn_claim.h when the program finishes
 * (nn_exp_finish), after the program's own claims. The keys of an entry:
 *
 *   "id", "kind" (lecture | identity | setup), "statement", "source", "quantity"   as in nn_claim.h
 *   "measure"      the measure judged (a number per seed)
 *   "of"           the condition it is read in (an arm's name, or a condition the program declares)
 *   "vs", "as"     optional: a second condition, paired by seed; "as": "ratio" (of / vs), "diff" (of − vs),
 *                  or "gain" (of − vs for accuracies in %: the threshold is what the test set resolves at the
 *                  baseline's mean, with the control that the baseline — "baseline", a phrase — left chance)
 *   "derived"      instead of "measure" and "of": a number per seed the program computed across conditions
 *                  after the cells (nn_grid_per_seed)
 *   "needs"        optional: the conditions or arms the claim needs, checked first (an arm whose conditions
 *                  the program names otherwise: "plain" for "plain-2"; a derived number's conditions),
 *                  {"derived": NAME}: a number the program computes only when a condition it is computed from ran
 *                  (one of several it picks by their settings, say), so the claim is not measured without it, and
 *                  rules {"value", "op", "threshold", "why"} on a setting: value (a number, a template as
 *                  "{finetune_epochs}", or {"derived": NAME}) op threshold, else the claim is not measured, `why` the
 *                  reason ("finetune_epochs is 0: no fine-tuning ran") — for a treatment the settings can switch off
 *   "once": true   a deterministic measurement: the first seed's value, judged once (not measured: one missing
 *                  value, as nn_exp_claim_once records it)
 *   "op", "threshold"   the rule, per seed: value op threshold (not with "gain")
 *   "not_held_at"  optional zone of no verdict (nn_claim.h)
 *   "rule_note", "not_comparative"   optional, as in nn_claim.h
 *   "preconditions"  a list, in the order the document shows them: {"what", "measure", "of", "stat", "op",
 *                  "threshold"} — or {"what", "derived", "op", "threshold"} for a number the program computed after
 *                  the cells (nn_grid_derived; with "stat" for one per seed, nn_grid_per_seed) —, and for a control
 *                  "rules_out" too. "stat" reduces the seeds: "worst" (lowest; a seed without a
 *                  value counts as −∞), "worst_high" (highest; +∞), "mean", "min", "max", "first", or
 *                  "count OP NUMBER" (seeds whose value meets it)
 *   "for_each"     optional: "arm", "arm with overrides", "arm without overrides" — one claim per such arm of
 *                  the config, in its order; {arm} and {arm_label} name it, and settings are the arm's
 *   "for_each_name"  optional: NAME of names the program found (nn_grid_derived_names; a template, so
 *                  "probed[{arm}]" with for_each gives each arm its own) — one claim per name, in its order, which
 *                  {each} gives: a claim about every layer of a net the program built
 *
 * Text fields, condition and measure names and thresholds given as text are templates: {KEY} is the value of a
 * setting (of the arm with for_each, else the shared settings; a list's elements joined by ", "), {KEY:and} a list
 * as a sentence gives it, "a, b and c" (nn_exp_reals), {A+B:and} the values of several settings, lists or not, as
 * one such sentence ("0.01, 0.03 and 0.1" for a number A and a list B; "0.01" when B is empty), {KEY[i]} an
 * element of a list (i < 0 counts from the end), {KEY#} a list's length, {KEY?TEXT} TEXT when the true/false
 * setting KEY is true, or the list KEY is not empty, and nothing otherwise ({KEY?TEXT|OTHER}: OTHER then; neither
 * text holds a brace; "{rates?, }{rates}" puts the comma before a list only when it has elements),
 * {S} the number of seeds, {train_images} and {test_images} the data's sizes, {derived.NAME} (or
 * {derived.NAME:.2f}, .Nf or .Ng) a number the program computed, or names it found (nn_grid_derived_names: what
 * no setting gives, such as an arm's layers; joined by ", ", no format), {derived.NAME:name} the name of the
 * condition whose index (in the order declared) the program gave as that number — a condition it picks by a rule,
 * as the first arm with dropout — or nothing when it gave −1 (no condition plays the part in this run; a claim
 * whose "of" or "vs" is then empty is not measured), {each} the name of a for_each_name claim;
 * {{ and }} are braces. A threshold may also be "trained" — chance accuracy (%) plus the margin a net must clear
 * to count as trained (nn_exp.h) — or {"derived": NAME}, a number the program computed (nn_grid_derived), to the
 * last digit. A derived NAME — in "derived", in {"derived": NAME} and in {derived.NAME} — is a template too, so a
 * for_each claim reads its arm's own number: the program names it per arm ("gap_tolerance[lenet]"), the claim
 * "gap_tolerance[{arm}]" ({derived.gap_tolerance[{arm}]:.2f} in a text).
 *
 * A claim whose condition did not run (an arm left out with --arms, a depth the settings did not make, a number
 * it needs the program did not compute) or whose two conditions are one is recorded as not measured, with the
 * reason. Everything else that is wrong with an entry — an unknown key, an unknown setting in a template, a
 * measure no cell recorded — is an error that names the entry, before any training where it can be known then. */
#ifndef NN_DECL_H
#define NN_DECL_H

#include "nn_exp.h"

/* Check every declared claim of the config against the settings and arms (nn_exp_start calls it): 0, or −1
 * with nn_error set. */
int nn_decl_check(nn_exp *e);
/* Judge every declared claim (nn_exp_finish calls it, before writing): 0, or −1 with nn_error set. */
int nn_decl_judge(nn_exp *e);

#endif
