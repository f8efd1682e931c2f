/* nn_results.h — the results document of an experiment (cJSON), written atomically.
 *
 * Top-level keys (DESIGN.md): experiment, schema_version, description, config (fully
 * resolved), dataset (name, source, sizes, checksum), environment (compiler, BLAS,
 * threads, precision, git revision), runs, summary, claims, wall_seconds.
 * Same config + same seed + same thread count ⇒ the same bytes, apart from the timing
 * fields: `wall_seconds` and anything under a key named "timing".
 *
 * Numbers: stored rounded to 9 significant digits (what a float holds), so files stay
 * readable. A NaN or ±Inf is written as null (JSON has no NaN); a run that diverged
 * says so explicitly in its "diverged" object, so null never stands alone.
 *
 * Ownership: every function returning cJSON* returns a new object the caller adds to a
 * document (which then owns it) or frees with cJSON_Delete.
 */
#ifndef NN_RESULTS_H
#define NN_RESULTS_H

#include <cjson/cJSON.h>

#include "nn_data.h"
#include "nn_train.h"

#define NN_SCHEMA_VERSION 1

cJSON *nn_results_new(const char *experiment, const char *description);
/* compiler, BLAS config string, BLAS threads, real type, git revision */
cJSON *nn_results_environment(void);
cJSON *nn_results_dataset(const nn_split *s);
cJSON *nn_json_num(double v);
/* One JSON document and nothing after it but white space (cJSON_Parse ignores what follows the
 * first value: a results file with a second document appended would be read as the first). */
cJSON *nn_json_parse(const char *text);
/* The first "\u0000" escape inside a string of the JSON text, or NULL. cJSON keeps strings as C strings, so
 * "spirals\u0000cifar" would be read as "spirals": a text holding one is refused, never cut short. */
const char *nn_json_nul(const char *text, size_t len);
cJSON *nn_json_series(const double *v, int n);
/* A JSON file read whole (up to 256 MiB) and parsed as one document; NULL with a message naming the file. */
cJSON *nn_json_load(const char *path);
/* Per-epoch series of a training history and its divergence record:
 * {"epoch": [...], "lr": [...], "train_loss": [...], "train_acc": [...], "test_loss": [...],
 *  "test_acc": [...], "diverged": false | {"epoch": e, "step": s, "what": "loss"}}
 * Epoch times go under "timing". */
cJSON *nn_results_history(const nn_history *h);
/* Set wall_seconds and write the document to path atomically. */
int nn_results_write(cJSON *doc, const char *path, double wall_seconds);

#endif
