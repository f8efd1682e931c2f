/* nn_report.h — a results document as Markdown for people (lecture notes, the report).
 *
 * The lecture notes carry a marked block that nothing but this code writes:
 *   <!-- nnlab:results NAME begin … -->
 *   …generated Markdown…
 *   <!-- nnlab:results NAME end -->
 * `make lectures` (bin/nn-notes) regenerates it from results/NAME.json, so every number a
 * note quotes comes from the run; `bin/nn-notes --check` fails when a block is stale.
 */
#ifndef NN_REPORT_H
#define NN_REPORT_H

#include <cjson/cJSON.h>
#include "nn_str.h"

/* Is `doc` a results document whose claims and tables have the fields the notes, the report and the
 * comparison read, with their types? Returns 0, or −1 with `bad` saying which field (claims[3].verdict). */
int nn_report_check(const cJSON *doc, char *bad, size_t n);

/* A value from a results file in Markdown that the report renders with raw HTML: as text in a table cell or a
 * list item ('|' and line breaks made harmless, '<' of a tag, '[' and ']' escaped; a code span it holds kept), or as
 * one code span that nothing in it can end early. The one place such values are quoted for Markdown. */
void nn_report_md_text(nn_str *o, const char *s);
void nn_report_md_code(nn_str *o, const char *s);

/* The generated block's body for a results document: what ran (profile, data set, seeds,
 * revision, time), its settings, its display tables and its claims with their verdicts. */
void nn_report_markdown(const cJSON *doc, nn_str *out);
/* Replace the body of every marked block in `note` (a whole Markdown file) with freshly
 * rendered results read from `results_dir`/NAME.json. Returns 0, or −1 with a message
 * (unbalanced markers, unreadable results). *changed tells whether anything differed. */
int nn_report_update_note(const char *note, const char *results_dir, nn_str *out, int *changed);
/* Exercises. A note's exercise carries a block that nothing but this code writes:
 *   <!-- nnlab:answer ID begin: bin/NAME FLAGS -->
 *   …what the committed run of that command (results/exercises/ID.json) shows against
 *    the reference run (results/NAME.json): settings changed, every claim, its first table…
 *   <!-- nnlab:answer ID end -->
 * nn_report_exercises calls fn(id, command) for every marker (it returns nonzero to stop);
 * nn_report_update_answers rewrites the blocks' bodies like nn_report_update_note. */
typedef int (*nn_exercise_fn)(const char *id, const char *command, void *user);
int nn_report_exercises(const char *note, nn_exercise_fn fn, void *user);
int nn_report_update_answers(const char *note, const char *results_dir, nn_str *out, int *changed);
/* Format a number for people: integers as integers, others with 4 significant digits. */
void nn_report_num(char *buf, size_t n, double v);

#endif
