/* test_experiments.c — every experiment program in its quick profile, end to end.
 *
 * The suite makes its own small MNIST-format data set (class-dependent strokes plus
 * noise, written as IDX files under <tmp>/mnist/, the layout a user with full MNIST
 * files uses) and points the programs at it with NNLAB_DATA_DIR. For each experiment:
 * the run exits 0; its JSON has every section; every claim is evaluated (a boolean verdict
 * and a measured value); gnuplot renders its figures to non-empty PNG and SVG files; a bad
 * flag and a bad config are rejected with exit 2 and leave an existing results file alone.
 */
#include "nn_test.h"

#include <signal.h>
#include <sys/wait.h>

#ifndef NN_ROOT
#define NN_ROOT "."
#endif

static char dir[512];
static char out[65536];

static void write_digits(const char *images, const char *labels, int n, uint64_t seed)
{
    nn_rng r;
    nn_rng_seed(&r, seed);
    uint8_t *px = calloc((size_t)n * 784, 1), *lb = calloc((size_t)n, 1);
    for (int i = 0; i < n; i++) {
        int c = i % 10;
        lb[i] = (uint8_t)c;
        uint8_t *im = px + (size_t)i * 784;
        for (int k = 0; k < 784; k++) im[k] = (uint8_t)(nn_rng_uniform(&r) < 0.05 ? 60 + nn_rng_below(&r, 60) : 0);
        /* a horizontal stroke at a class-dependent row and a vertical one at a class-dependent column */
        int row = 3 + 2 * c + (int)nn_rng_below(&r, 2), col = 24 - 2 * c + (int)nn_rng_below(&r, 2);
        for (int k = 4; k < 24; k++) im[row * 28 + k] = (uint8_t)(180 + nn_rng_below(&r, 75));
        for (int k = 4; k < 24; k++) im[k * 28 + col] = (uint8_t)(150 + nn_rng_below(&r, 100));
    }
    uint32_t d3[3] = {(uint32_t)n, 28, 28}, d1[1] = {(uint32_t)n};
    ck_assert_int_eq(nn_idx_write(images, 3, d3, px), 0);
    ck_assert_int_eq(nn_idx_write(labels, 1, d1, lb), 0);
    free(px);
    free(lb);
}

static void setup(void)
{
    nn_test_tmpdir(dir, sizeof dir);
    char m[600], a[700], b[700];
    snprintf(m, sizeof m, "%s/mnist", dir);
    ck_assert_int_eq(mkdir(m, 0755), 0);
    snprintf(a, sizeof a, "%s/train-images-idx3-ubyte.gz", m);
    snprintf(b, sizeof b, "%s/train-labels-idx1-ubyte.gz", m);
    write_digits(a, b, 1500, 1);
    snprintf(a, sizeof a, "%s/t10k-images-idx3-ubyte.gz", m);
    snprintf(b, sizeof b, "%s/t10k-labels-idx1-ubyte.gz", m);
    write_digits(a, b, 500, 2);
    setenv("NNLAB_DATA_DIR", dir, 1);
    setenv("NNLAB_FASHION_DIR", m, 1); /* the same small digits stand in for Fashion-MNIST (cnn, pretraining) */
}

static void teardown(void)
{
    unsetenv("NNLAB_DATA_DIR");
    unsetenv("NNLAB_FASHION_DIR");
    nn_test_rmdir(dir);
}

static const struct {
    const char *name;
    int figures;
} experiments[] = {{"saturation", 3},  {"depth", 2},       {"vanishing", 3},      {"init", 3},
                   {"batchnorm", 2},   {"deep_supervision", 3}, {"momentum", 3},  {"exploding", 2},
                   {"activations", 2}, {"regularization", 2}, {"residual", 2},    {"pretraining", 2},
                   {"fitnets", 2},     {"cnn", 3},           {"mechanics", 1},  {"normalization", 4},
                   {"probabilistic", 3}, {"critiques", 3}, {"skips", 3}};
#define N_EXPERIMENTS 19

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return nn_test_run(cmd, out, sizeof out);
}

static cJSON *load(const char *path)
{
    char *t = NULL;
    ck_assert_msg(nn_read_file(path, 1 << 28, &t, NULL) == 0, "%s", nn_error());
    cJSON *doc = cJSON_Parse(t);
    free(t);
    ck_assert_msg(doc != NULL, "%s is not valid JSON", path);
    return doc;
}

/* write doc to path (a results file made broken on purpose) and free it */
static void save_and_free(cJSON *doc, const char *path)
{
    char *t = cJSON_Print(doc);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(t, f);
    fclose(f);
    free(t);
    cJSON_Delete(doc);
}

START_TEST(test_quick_profile)
{
    const char *name = experiments[_i].name;
    char res[700];
    snprintf(res, sizeof res, "%s/%s.json", dir, name);
    int rc = run("cd %s && %s/%s --quick --out %s", NN_ROOT, NN_BIN, name, res);
    ck_assert_msg(rc == 0, "%s --quick exited %d:\n%s", name, rc, out);
    ck_assert_msg(strstr(out, ": lecture claims ") && strstr(out, " inconclusive"), "%s printed no verdict summary:\n%s", name,
                  out);

    cJSON *doc = load(res);
    ck_assert_str_eq(cJSON_GetObjectItem(doc, "experiment")->valuestring, name);
    ck_assert_str_eq(cJSON_GetObjectItem(doc, "profile")->valuestring, "quick");
    const char *sections[] = {"schema_version", "description", "config", "dataset", "environment", "summary",
                              "claims", "wall_seconds"};
    for (size_t k = 0; k < sizeof sections / sizeof *sections; k++)
        ck_assert_msg(cJSON_GetObjectItem(doc, sections[k]), "%s: no '%s' section", name, sections[k]);
    /* the grid's layout (lab/nn_grid.h) or, in a program not yet ported to it, runs; never both */
    const cJSON *conds = cJSON_GetObjectItem(doc, "conditions");
    ck_assert_msg(!conds != !cJSON_GetObjectItem(doc, "runs"), "%s: one of 'conditions' and 'runs'", name);
    if (conds) {
        const cJSON *cd;
        cJSON_ArrayForEach(cd, conds)
        {
            ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(cd, "seeds")), cJSON_GetObjectItem(doc, "config") ?
                             cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "config"), "seeds")->valueint : -1);
            ck_assert_msg(cJSON_GetArraySize(cJSON_GetObjectItem(cd, "summary")) > 0, "%s: condition %s measured nothing",
                          name, cJSON_GetStringValue(cJSON_GetObjectItem(cd, "name")));
        }
    }
    const cJSON *ds = cJSON_GetObjectItem(doc, "dataset");
    ck_assert_str_eq(cJSON_GetObjectItem(ds, "name")->valuestring, "mnist");
    ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(ds, "source")->valuestring, dir));
    ck_assert_int_gt(cJSON_GetObjectItem(ds, "train")->valueint, 0);
    ck_assert_int_gt(cJSON_GetArraySize(conds ? conds : cJSON_GetObjectItem(doc, "runs")), 0);
    const cJSON *claims = cJSON_GetObjectItem(doc, "claims"), *c;
    ck_assert_int_gt(cJSON_GetArraySize(claims), 0);
    /* the committed reference run: a claim's rule (its comparison) is the same in every run, so a
     * comparison flipped in a program shows here (the verdict alone would follow the flipped rule) */
    char refp[700];
    snprintf(refp, sizeof refp, "%s/results/%s.json", NN_ROOT, name);
    cJSON *ref = load(refp);
    int compared = 0;
    cJSON_ArrayForEach(c, claims)
    {
        const char *id = cJSON_GetObjectItem(c, "id")->valuestring;
        const cJSON *rc_;
        cJSON_ArrayForEach(rc_, cJSON_GetObjectItem(ref, "claims"))
        if (!strcmp(cJSON_GetObjectItem(rc_, "id")->valuestring, id)) {
            ck_assert_msg(!strcmp(cJSON_GetObjectItem(rc_, "op")->valuestring, cJSON_GetObjectItem(c, "op")->valuestring),
                          "%s: claim %s compares with '%s' here and '%s' in the reference run", name, id,
                          cJSON_GetObjectItem(c, "op")->valuestring, cJSON_GetObjectItem(rc_, "op")->valuestring);
            /* a claim's kind is the claim's, not the profile's: an identity in the reference run is one here */
            ck_assert_msg(nn_claim_kind_of(c) != NN_KIND_UNSET && nn_claim_kind_of(c) == nn_claim_kind_of(rc_),
                          "%s: claim %s is of kind '%s' here and '%s' in the reference run", name, id,
                          nn_claim_kind_name(nn_claim_kind_of(c)), nn_claim_kind_name(nn_claim_kind_of(rc_)));
            compared++;
            break;
        }
        const char *keys[] = {"id", "statement", "source", "quantity", "op", "rule", "held_in", "verdict"};
        for (int k = 0; k < 8; k++)
            ck_assert_msg(cJSON_IsString(cJSON_GetObjectItem(c, keys[k])), "%s: claim without '%s'", name, keys[k]);
        ck_assert_msg(cJSON_IsArray(cJSON_GetObjectItem(c, "per_seed")), "%s: claim %s has no per-seed values", name, id);
        ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(c, "threshold")));
        nn_verdict v;
        ck_assert_msg(nn_verdict_parse(cJSON_GetObjectItem(c, "verdict")->valuestring, &v) == 0, "%s: claim %s: bad verdict",
                      name, id);
        if (v == NN_INCONCLUSIVE)
            ck_assert_msg(cJSON_IsString(cJSON_GetObjectItem(c, "reason")), "%s: inconclusive claim %s gives no reason", name,
                          id);
        /* the recorded verdict follows from the recorded evidence */
        ck_assert_msg(nn_claim_rejudge(c) == v, "%s: claim %s: verdict does not follow from its evidence", name, id);
        /* falsifiability: with its preconditions met, every claim that this run measured must come
         * out held when each seed's value lies on the holding side of its threshold and not held on
         * the other side, whatever it measured here (claims inconclusive for a failed precondition
         * included) */
        if (!cJSON_GetObjectItem(c, "unmeasured") && cJSON_GetArraySize(cJSON_GetObjectItem(c, "per_seed")) > 0) {
            double t = cJSON_GetObjectItem(c, "threshold")->valuedouble;
            const char *op = cJSON_GetObjectItem(c, "op")->valuestring;
            for (int side = 0; side < 2; side++) { /* 0: the holding side, 1: the failing side */
                cJSON *flip = cJSON_Duplicate(c, 1), *x;
                double step = fabs(t) + 1, value = (op[0] == '<') == (side == 0) ? t - step : t + step;
                cJSON *ps = cJSON_GetObjectItem(flip, "per_seed"); /* replace: a seed without a measurement is null */
                for (int q = 0, nq = cJSON_GetArraySize(ps); q < nq; q++)
                    cJSON_ReplaceItemInArray(ps, q, cJSON_CreateNumber(value));
                cJSON_ArrayForEach(x, cJSON_GetObjectItem(flip, "preconditions"))
                {
                    double pt = cJSON_GetObjectItem(x, "threshold")->valuedouble;
                    const char *pop = cJSON_GetObjectItem(x, "op")->valuestring;
                    cJSON_ReplaceItemInObject(x, "measured",
                                              cJSON_CreateNumber(pop[0] == '<' ? pt - fabs(pt) - 1 : pt + fabs(pt) + 1));
                }
                nn_verdict w = nn_claim_rejudge(flip);
                ck_assert_msg(w == (side == 0 ? NN_HELD : NN_NOT_HELD), "%s: claim %s gives %s with every seed on the %s side",
                              name, id, nn_verdict_name(w), side == 0 ? "holding" : "failing");
                cJSON_Delete(flip);
            }
            /* and a failed precondition makes it inconclusive, never held */
            if (cJSON_GetArraySize(cJSON_GetObjectItem(c, "preconditions")) > 0) {
                cJSON *pre = cJSON_Duplicate(c, 1);
                cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItem(pre, "preconditions"), 0);
                double pt = cJSON_GetObjectItem(x, "threshold")->valuedouble;
                const char *pop = cJSON_GetObjectItem(x, "op")->valuestring;
                cJSON_ReplaceItemInObject(x, "measured",
                                          cJSON_CreateNumber(pop[0] == '<' ? pt + fabs(pt) + 1 : pt - fabs(pt) - 1));
                ck_assert_int_eq(nn_claim_rejudge(pre), NN_INCONCLUSIVE);
                cJSON_Delete(pre);
            }
        }
    }
    ck_assert_msg(compared > 0, "%s: no claim of the quick run is in the reference run", name);
    cJSON_Delete(ref);
    cJSON_Delete(doc);

    /* the figures, as make draws them (tools/figures: a grid document's measures read by name, so a figure that
     * names a measure no cell recorded fails here) */
    rc = run("cd %s && tools/figures %s %s/%s plots/%s.gp", NN_ROOT, res, dir, name, name);
    ck_assert_msg(rc == 0, "figures of %s exited %d:\n%s", name, rc, out);
    ck_assert_msg(out[0] == '\0', "%s.gp printed a warning or an error; a figure script must run silently:\n%s", name, out);
    for (int f = 0; f < 2; f++) {
        const char *fmt = f ? "svg" : "png";
        rc = run("ls %s/%s-*.%s | wc -l", dir, name, fmt);
        ck_assert_int_eq(atoi(out), experiments[_i].figures);
        rc = run("find %s -name '%s-*.%s' -size -1k | wc -l", dir, name, fmt);
        ck_assert_msg(atoi(out) == 0, "%s: an empty %s figure", name, fmt);
    }
    /* a results file with diverged runs says so on every figure */
    run("%s/nn-json2dat --diverged %s", NN_BIN, res);
    int n_div = atoi(out);
    run("grep -l 'runs diverged (NaN/Inf)' %s/%s-*.svg | wc -l", dir, name);
    ck_assert_msg(atoi(out) == (n_div > 0 ? experiments[_i].figures : 0), "%s: %d diverged runs, %d figures carry the notice",
                  name, n_div, atoi(out));
}
END_TEST

/* the document without timing fields, printed (the reproducibility comparison) */
static char *normalized(const char *path)
{
    cJSON *doc = load(path);
    cJSON_DeleteItemFromObject(doc, "wall_seconds");
    /* timing objects can sit at any depth (a run's history, a program's summary) */
    cJSON *stack[64];
    int top = 0;
    stack[top++] = doc;
    while (top > 0) {
        cJSON *node = stack[--top], *child;
        cJSON_DeleteItemFromObjectCaseSensitive(node, "timing");
        cJSON_ArrayForEach(child, node) if ((cJSON_IsObject(child) || cJSON_IsArray(child)) && top < 64) stack[top++] = child;
    }
    char *t = cJSON_Print(doc);
    cJSON_Delete(doc);
    return t;
}

START_TEST(test_quick_reproducible)
{
    /* same config, seed and thread count in two separate processes: the same document */
    const char *name = experiments[_i].name;
    char a[700], b[700];
    snprintf(a, sizeof a, "%s/%s-r1.json", dir, name);
    snprintf(b, sizeof b, "%s/%s-r2.json", dir, name);
    ck_assert_int_eq(run("cd %s && %s/%s --quick --out %s", NN_ROOT, NN_BIN, name, a), 0);
    ck_assert_int_eq(run("cd %s && %s/%s --quick --out %s", NN_ROOT, NN_BIN, name, b), 0);
    char *ta = normalized(a), *tb = normalized(b);
    ck_assert_msg(strcmp(ta, tb) == 0, "%s: two runs with the same settings wrote different documents", name);
    free(ta), free(tb);
}
END_TEST

START_TEST(test_sigkill_never_leaves_a_partial_file)
{
    /* stop a run with SIGKILL, SIGTERM or SIGINT (Ctrl-C) at random moments, many times: the
     * results file is always the previous complete document or the new complete one (writes
     * go to a temporary file that is renamed over the old one), and a run stopped before its
     * end reports failure (it was killed by the signal) rather than success */
    char res[700], cmd[1200];
    snprintf(res, sizeof res, "%s/kill.json", dir);
    nn_test_write(res, "{\"experiment\": \"previous\"}\n", 28);
    snprintf(cmd, sizeof cmd, "cd %s && exec %s/momentum --quick --out %s > /dev/null 2>&1", NN_ROOT, NN_BIN, res);
    nn_rng r;
    nn_rng_seed(&r, 77);
    /* (nn_test_run_and_stop blocks SIGTERM and SIGINT across its fork: check's handlers in the
     * not-yet-exec'd child would signal the runner's whole group; under valgrind the fork is slow
     * enough for that to happen) */
    const int sigs[3] = {SIGKILL, SIGTERM, SIGINT};
    for (int k = 0; k < 30; k++) {
        /* the quick run takes about 0.2 s: kill before, during, after */
        int st = nn_test_run_and_stop(cmd, (unsigned)nn_rng_below(&r, 300000), sigs[k % 3]);
        ck_assert_msg(WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) == 0), "stopped run %d exited %d", k,
                      WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        cJSON *doc = load(res); /* fails the test if the file is not complete JSON */
        const char *e = cJSON_GetObjectItem(doc, "experiment")->valuestring;
        ck_assert_msg(!strcmp(e, "previous") || (!strcmp(e, "momentum") && cJSON_GetObjectItem(doc, "wall_seconds")),
                      "after kill %d the results file is neither the old nor a complete new document", k);
        cJSON_Delete(doc);
    }
}
END_TEST

START_TEST(test_bad_input_keeps_results)
{
    const char *name = experiments[_i].name;
    char res[700], cfg[700];
    snprintf(res, sizeof res, "%s/%s-keep.json", dir, name);
    snprintf(cfg, sizeof cfg, "%s/%s-bad.json", dir, name);
    nn_test_write(res, "{\"previous\": true}\n", 19);
    int rc = run("cd %s && %s/%s --no-such-flag 1 --out %s", NN_ROOT, NN_BIN, name, res);
    ck_assert_int_eq(rc, 2);
    ck_assert_msg(strstr(out, "unknown flag -- 'no-such-flag'"), "%s", out);
    nn_test_write(cfg, "{\"seeds\": 0}", 12);
    rc = run("cd %s && %s/%s --config %s --out %s", NN_ROOT, NN_BIN, name, cfg, res);
    ck_assert_int_eq(rc, 2);
    ck_assert_msg(strstr(out, "'seeds' = 0 is out of range"), "%s", out);
    nn_test_write(cfg, "{\"seeds\": 1, }", 14);
    rc = run("cd %s && %s/%s --config %s --out %s", NN_ROOT, NN_BIN, name, cfg, res);
    ck_assert_int_eq(rc, 2);
    ck_assert_msg(strstr(out, "is not valid JSON"), "%s", out);
    rc = run("cd %s && %s/%s --seed%s", NN_ROOT, NN_BIN, name, "");
    ck_assert_int_eq(rc, 2);
    char *t = NULL;
    ck_assert_int_eq(nn_read_file(res, 1024, &t, NULL), 0);
    ck_assert_str_eq(t, "{\"previous\": true}\n");
    free(t);
    /* --help names the config file and prints the settings */
    rc = run("cd %s && %s/%s --help", NN_ROOT, NN_BIN, name);
    ck_assert_int_eq(rc, 0);
    ck_assert_msg(strstr(out, "experiments/") && strstr(out, "--seed"), "%s", out);
}
END_TEST

/* A student's run with other arms or settings: every claim it could not measure is
 * inconclusive (never "not held"), and nothing in the document names an arm or a claim
 * of a net that did not run. */
static const struct {
    const char *args;
    const char *must;     /* in the document */
    const char *must_not; /* nowhere in the document, or NULL */
} student_runs[] = {
    {"depth --arms relu_he", "not measured in this run: arm 'plain' did not run", "\"plain: "},
    {"vanishing --arms relu_he", "relu-he-balanced[relu_he]", "sigmoid-grows-with-layer"},
    {"vanishing --arms book --ks 2,3", "'ks' does not include 4", "relu-he-balanced"},
    {"exploding --arms clipped", "remedy-trains[clipped]", "no-remedy-explodes"},
    {"momentum --alphas 0,0.5", "not measured in this run: condition 'momentum-0.9' is not in this run", NULL},
    {"init --activations tanh --schemes zero,he_normal", "not measured in this run", NULL},
    {"cnn --arms lenet", "no MLP arm ran in this run", "mlp_500"},
    /* an architecture changed on the command line: the claims name the layers that ran */
    {"deep_supervision --layers '[{\"conv\": 4, \"kernel\": 5}, {\"pool\": 4}, {\"head\": []}, {\"dense\": 20}, {\"act\": "
     "\"tanh\"}]'",
     "heads-more-discriminative[lenet,tanh1]", "pool2"},
    {"pretraining --arms relu_he", "greedy-beats-scratch[relu_he]", "scratch-stalls"},
    {"fitnets --arms relu_he", "hints-help-student[relu_he]", "student-alone-stalls"},
};

START_TEST(test_student_runs_say_what_ran)
{
    char res[700];
    snprintf(res, sizeof res, "%s/student-%d.json", dir, _i);
    int rc = run("cd %s && %s/%s --quick --out %s", NN_ROOT, NN_BIN, student_runs[_i].args, res);
    ck_assert_msg(rc == 0, "%s exited %d:\n%s", student_runs[_i].args, rc, out);
    cJSON *doc = load(res);
    char *text = cJSON_PrintUnformatted(doc);
    ck_assert_msg(strstr(text, student_runs[_i].must), "%s: the document lacks \"%s\"", student_runs[_i].args,
                  student_runs[_i].must);
    if (student_runs[_i].must_not) /* outside the resolved config, which lists the arms' overrides */
    {
        cJSON *runs = cJSON_DetachItemFromObject(doc, cJSON_GetObjectItem(doc, "conditions") ? "conditions" : "runs");
        cJSON *claims = cJSON_GetObjectItem(doc, "claims"), *summary = cJSON_GetObjectItem(doc, "summary");
        char *a = cJSON_PrintUnformatted(claims), *b = cJSON_PrintUnformatted(summary), *c = cJSON_PrintUnformatted(runs);
        ck_assert_msg(!strstr(a, student_runs[_i].must_not) && !strstr(b, student_runs[_i].must_not) &&
                          !strstr(c, student_runs[_i].must_not),
                      "%s: the claims, summary or runs mention \"%s\", which did not run", student_runs[_i].args,
                      student_runs[_i].must_not);
        cJSON_free(a), cJSON_free(b), cJSON_free(c);
        cJSON_Delete(runs);
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "claims"))
    {
        const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(c, "verdict"));
        if (cJSON_GetObjectItem(c, "unmeasured"))
            ck_assert_msg(strcmp(v, "inconclusive") == 0, "%s: unmeasured claim %s is \"%s\"", student_runs[_i].args,
                          cJSON_GetStringValue(cJSON_GetObjectItem(c, "id")), v);
    }
    cJSON_free(text);
    cJSON_Delete(doc);
}
END_TEST

/* The largest first seed the settings allow, with several seeds: seeds run on past 2^31 − 1 (they were an int sum
 * that overflowed), and the document records them. */
START_TEST(test_largest_seed)
{
    char res[700];
    snprintf(res, sizeof res, "%s/seed.json", dir);
    int rc = run("cd %s && %s/mechanics --quick --seed 2147483647 --seeds 3 --out %s", NN_ROOT, NN_BIN, res);
    ck_assert_msg(rc == 0, "exited %d:\n%s", rc, out);
    cJSON *doc = load(res);
    const cJSON *seeds = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "claims"), 0), "seeds");
    ck_assert_int_eq(cJSON_GetArraySize(seeds), 3);
    for (int i = 0; i < 3; i++) ck_assert_double_eq(cJSON_GetArrayItem(seeds, i)->valuedouble, 2147483647.0 + i);
    cJSON_Delete(doc);
}
END_TEST

/* A student's run in its own folder, with its figures and the comparison with the reference. */
START_TEST(test_student_run_folder)
{
    int rc = run("cd %s && RUNS_DIR=%s tools/run depth mine --quick --arms plain --activation tanh", NN_ROOT, dir);
    ck_assert_msg(rc == 0, "tools/run exited %d:\n%s", rc, out);
    const char *files[] = {"depth.json", "depth-curves.png", "depth-final.svg", "compare.md", "curves.png"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char p[900];
        snprintf(p, sizeof p, "%s/depth-mine/%s", dir, files[i]);
        struct stat st;
        ck_assert_msg(stat(p, &st) == 0 && st.st_size > 0, "%s missing or empty", p);
    }
    char p[900], *md = NULL;
    snprintf(p, sizeof p, "%s/depth-mine/compare.md", dir);
    ck_assert_int_eq(nn_read_file(p, 1 << 20, &md, NULL), 0);
    /* the settings that changed, and the claims of both runs */
    ck_assert_msg(strstr(md, "| `activation` | `[\"sigmoid\"]` | `[\"tanh\"]` |"), "compare.md lacks the changed activation:\n%s",
                  md);
    ck_assert_ptr_nonnull(strstr(md, "`one-hidden-beats-none`"));
    free(md);
    /* two different experiments are refused */
    rc = run("cd %s && %s/nn-compare results/depth.json results/init.json", NN_ROOT, NN_BIN);
    ck_assert_msg(rc == 2 && strstr(out, "compare runs of one experiment"), "rc %d:\n%s", rc, out);
    /* a bad label is refused before anything runs */
    rc = run("cd %s && RUNS_DIR=%s tools/run depth 'a/b' --quick", NN_ROOT, dir);
    ck_assert_msg(rc == 2 && strstr(out, "may hold only"), "rc %d:\n%s", rc, out);
}
END_TEST


/* A comparison of a run with itself reports no change, and one verdict flipped is the one change it reports (a
 * comparison that marked every claim "changed" passed the test above, which finds a claim's name either way). */
START_TEST(test_compare_counts_changes)
{
    char ref[700], flip[800], md[800], *t = NULL;
    snprintf(ref, sizeof ref, "%s/results/depth.json", NN_ROOT);
    int rc = run("mkdir -p %s/same %s/flip && %s/nn-compare --out %s/same %s %s", dir, dir, NN_BIN, dir, ref, ref);
    ck_assert_msg(rc == 0 && strstr(out, " 0 of "), "nn-compare of a run with itself: exit %d:\n%s", rc, out);
    snprintf(md, sizeof md, "%s/same/compare.md", dir);
    ck_assert_int_eq(nn_read_file(md, 1 << 20, &t, NULL), 0);
    ck_assert_msg(!strstr(t, "**changed:**") && strstr(t, "## Verdicts: 0 changed"), "a run beside itself shows changes:\n%s", t);
    free(t);
    cJSON *doc = load(ref);
    cJSON *c0 = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "claims"), 0);
    const char *was = cJSON_GetStringValue(cJSON_GetObjectItem(c0, "verdict")),
               *id = cJSON_GetStringValue(cJSON_GetObjectItem(c0, "id"));
    char idc[200];
    snprintf(idc, sizeof idc, "**changed:** `%s`", id);
    cJSON_ReplaceItemInObject(c0, "verdict", cJSON_CreateString(strcmp(was, "held") ? "held" : "not held"));
    snprintf(flip, sizeof flip, "%s/flip.json", dir);
    save_and_free(doc, flip);
    rc = run("%s/nn-compare --out %s/flip %s %s", NN_BIN, dir, ref, flip);
    ck_assert_msg(rc == 0 && strstr(out, " 1 of "), "one verdict flipped: exit %d:\n%s", rc, out);
    snprintf(md, sizeof md, "%s/flip/compare.md", dir);
    ck_assert_int_eq(nn_read_file(md, 1 << 20, &t, NULL), 0);
    ck_assert_msg(strstr(t, idc) && strstr(t, "## Verdicts: 1 changed") && strstr(t, "**changed:**") == strstr(t, idc),
                  "the flipped claim is not the one change:\n%s", t);
    free(t);
}
END_TEST

/* Seeds are seeds: each seed of a run trains its own net (every seed trained with the first gave identical runs),
 * and a paired gain is taken seed by seed (treated − baseline of the same seed, not of the first seed). */
START_TEST(test_seeds_distinct_and_paired)
{
    char res[700];
    snprintf(res, sizeof res, "%s/depth-3seeds.json", dir);
    int rc = run("cd %s && %s/depth --quick --seeds 3 --out %s", NN_ROOT, NN_BIN, res);
    ck_assert_msg(rc == 0, "depth --seeds 3 exited %d:\n%s", rc, out);
    cJSON *doc = load(res);
    const cJSON *cond, *r, *q;
    double acc[2][3] = {{NAN, NAN, NAN}, {NAN, NAN, NAN}};
    int pairs = 0;
    cJSON_ArrayForEach(cond, cJSON_GetObjectItem(doc, "conditions"))
    {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(cond, "name"));
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(cond, "seeds"))
        {
            const int seed = cJSON_GetObjectItem(r, "seed")->valueint;
            const cJSON *loss = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "history"), "train_loss"),
                        *ta = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "history"), "test_acc");
            for (int d = 0; d < 2; d++)
                if (!strcmp(name, d ? "plain-1" : "plain-0") && seed >= 1 && seed <= 3)
                    acc[d][seed - 1] = cJSON_GetArrayItem(ta, cJSON_GetArraySize(ta) - 1)->valuedouble;
            cJSON_ArrayForEach(q, cJSON_GetObjectItem(cond, "seeds"))
            {
                if (q == r || cJSON_GetObjectItem(q, "seed")->valueint == seed) continue;
                char *a = cJSON_PrintUnformatted(loss),
                     *b = cJSON_PrintUnformatted(cJSON_GetObjectItem(cJSON_GetObjectItem(q, "history"), "train_loss"));
                ck_assert_msg(strcmp(a, b), "%s: seeds %d and %d trained the same net (identical losses %s)", name, seed,
                              cJSON_GetObjectItem(q, "seed")->valueint, a);
                free(a), free(b);
                pairs++;
            }
        }
    }
    ck_assert_int_ge(pairs, 6);
    const cJSON *c = nn_claims_find(doc, "one-hidden-beats-none");
    ck_assert_ptr_nonnull(c);
    for (int i = 0; i < 3; i++) {
        const double want = 100 * (acc[1][i] - acc[0][i]),
                     got = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "per_seed"), i)->valuedouble;
        ck_assert_msg(fabs(got - want) < 1e-5, "seed %d: the gain is %g, its own seed's difference %g", i + 1, got, want);
    }
    cJSON_Delete(doc);
}
END_TEST

/* An arm name is data: one that holds a newline and a gnuplot shell escape reaches the comparison's gnuplot
 * script as text inside a title, and drawing the figure runs nothing. */
START_TEST(test_hostile_arm_name_runs_nothing)
{
    char cfg[700], res[700], mark[700];
    snprintf(cfg, sizeof cfg, "%s/hostile.json", dir);
    snprintf(res, sizeof res, "%s/hostile/exploding.json", dir);
    snprintf(mark, sizeof mark, "%s/PWNED", dir);
    FILE *f = fopen(cfg, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "{\"arms\": {\"no_remedy\": {}, \"clipped\\n!touch %s\\n#\": {\"clip_norm\": 1.0}}}\n", mark);
    fclose(f);
    int rc = run("cd %s && mkdir -p %s/hostile && %s/exploding --quick --config %s --out %s", NN_ROOT, dir, NN_BIN, cfg, res);
    ck_assert_msg(rc == 0, "exploding exited %d:\n%s", rc, out);
    rc = run("cd %s && %s/nn-compare --out %s/hostile results/exploding.json %s && gnuplot %s/hostile/curves.gp", NN_ROOT,
             NN_BIN, dir, res, dir);
    ck_assert_msg(rc == 0, "the comparison or its figure failed (%d):\n%s", rc, out);
    struct stat st;
    ck_assert_msg(stat(mark, &st) != 0, "gnuplot ran a command from an arm name");
    char gp[800], *text = NULL;
    snprintf(gp, sizeof gp, "%s/hostile/curves.gp", dir);
    ck_assert_int_eq(nn_read_file(gp, 1 << 20, &text, NULL), 0);
    for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        ck_assert_msg(*line != '!', "curves.gp has a line that gnuplot runs in a shell:\n%s", text);
    free(text);
}
END_TEST


/* A run folder whose path holds shell syntax and a space is a path: the figures are drawn and nothing runs
 * (common.gp passed the results path to a shell unquoted). */
START_TEST(test_runs_dir_is_a_path)
{
    char rd[800], mark[700];
    snprintf(mark, sizeof mark, "%s/RAN", dir);
    snprintf(rd, sizeof rd, "%s/with space;touch RAN;$(touch RAN)", dir);
    setenv("RUNS_DIR", rd, 1);
    int rc = run("cd %s && tools/run exploding odd --quick", NN_ROOT);
    unsetenv("RUNS_DIR");
    ck_assert_msg(rc == 0, "tools/run exited %d:\n%s", rc, out);
    struct stat st;
    char png[900];
    snprintf(png, sizeof png, "%s/exploding-odd/exploding-grad-norm.png", rd);
    ck_assert_msg(stat(png, &st) == 0 && st.st_size > 0, "no figure in the odd folder:\n%s", out);
    ck_assert_msg(stat(mark, &st) != 0, "a command in RUNS_DIR ran");
    snprintf(mark, sizeof mark, "%s/RAN", NN_ROOT);
    ck_assert_msg(stat(mark, &st) != 0, "a command in RUNS_DIR ran in the checkout");
    /* the converter's path from the environment reaches gnuplot's command line: a quote in it is refused */
    char j2d[900];
    snprintf(mark, sizeof mark, "%s/RAN2", dir);
    snprintf(j2d, sizeof j2d, "bin/nn-json2dat';system('touch %s');'", mark);
    setenv("JSON2DAT", j2d, 1);
    rc = run("cd %s && tools/figures results/exploding.json %s/j2d/exploding plots/exploding.gp", NN_ROOT, dir);
    unsetenv("JSON2DAT");
    ck_assert_msg(rc == 2 && strstr(out, "holds a single quote") && stat(mark, &st) != 0, "JSON2DAT with a quote: exit %d:\n%s",
                  rc, out);
    /* a path into the results built from the results' own values (an activation's name) reaches the converter as
     * one quoted word: names holding shell syntax draw no figure and run nothing */
    char hostile[800], m1[700], m2[700];
    snprintf(m1, sizeof m1, "%s/RAN3", dir);
    snprintf(m2, sizeof m2, "%s/RAN4", dir);
    snprintf(hostile, sizeof hostile, "%s/hostile-activations.json", dir);
    cJSON *doc = load(NN_ROOT "/results/activations.json"), *acts = cJSON_CreateArray();
    char a1[800], a2[800];
    snprintf(a1, sizeof a1, "relu;touch${IFS}%s;#", m1);
    snprintf(a2, sizeof a2, "x'$(touch %s)'", m2);
    cJSON_AddItemToArray(acts, cJSON_CreateString(a1));
    cJSON_AddItemToArray(acts, cJSON_CreateString(a2));
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(doc, "config"), "activations", acts);
    save_and_free(doc, hostile);
    rc = run("cd %s && tools/figures %s %s/hostile-fig/activations plots/activations.gp", NN_ROOT, hostile, dir);
    ck_assert_msg(stat(m1, &st) != 0 && stat(m2, &st) != 0, "a name in a results file ran as a command:\n%s", out);
    /* inside the checkout a run goes under runs/ only: the reference run, figures and notes are not a run's */
    const char *inside[] = {"results", "runs/../plots", "lectures/x", "."};
    for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++) {
        setenv("RUNS_DIR", inside[i], 1);
        rc = run("cd %s && tools/run exploding odd --quick", NN_ROOT);
        unsetenv("RUNS_DIR");
        ck_assert_msg(rc == 2 && strstr(out, "not under runs/"), "RUNS_DIR=%s: exit %d:\n%s", inside[i], rc, out);
        snprintf(png, sizeof png, "%s/%s/exploding-odd", NN_ROOT, inside[i]);
        ck_assert_msg(stat(png, &st) != 0, "RUNS_DIR=%s made %s", inside[i], png);
    }
}
END_TEST


/* A results file is untrusted input for the comparison: a missing or mistyped field is a message naming the
 * file and the field and exit 1 (it was a SIGSEGV). */
START_TEST(test_compare_refuses_broken_results)
{
    const char *cases[][2] = {{"verdict", "claims[0].verdict is missing or not a string"},
                              {"id", "claims[0].id is missing or not a string"},
                              {"caption", "summary.tables[0].caption is missing or not a string"},
                              {"op", "claims[0].op is missing or not one of <, <=, >, >="}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char ref[700], bad[700];
        snprintf(ref, sizeof ref, "%s/results/exploding.json", NN_ROOT);
        snprintf(bad, sizeof bad, "%s/broken-%zu.json", dir, i);
        cJSON *doc = load(ref);
        if (!strcmp(cases[i][0], "caption"))
            cJSON_DeleteItemFromObject(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "summary"), "tables"), 0),
                                       "caption");
        else if (!strcmp(cases[i][0], "op"))
            cJSON_DeleteItemFromObject(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "claims"), 0), "op");
        else if (!strcmp(cases[i][0], "id"))
            cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "claims"), 0), "id", cJSON_CreateNumber(42));
        else cJSON_DeleteItemFromObject(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "claims"), 0), "verdict");
        save_and_free(doc, bad);
        int rc = run("%s/nn-compare --out %s/broken %s %s", NN_BIN, dir, ref, bad);
        ck_assert_msg(rc == 1 && strstr(out, cases[i][1]) && strstr(out, bad),
                      "nn-compare on a claim without its %s: exit %d:\n%s", cases[i][0], rc, out);
    }
    /* the notes too: a claim whose verdict is a number stops nn-notes (it wrote '**?**' and exited 0), and the
     * note is left as it was */
    char rdir[700], res[800], note[800];
    snprintf(rdir, sizeof rdir, "%s/badresults", dir);
    snprintf(res, sizeof res, "%s/exploding.json", rdir);
    snprintf(note, sizeof note, "%s/08-exploding.md", dir);
    ck_assert_int_eq(run("mkdir -p %s && cp %s/lectures/08-exploding.md %s", rdir, NN_ROOT, note), 0);
    char ref[700];
    snprintf(ref, sizeof ref, "%s/results/exploding.json", NN_ROOT);
    cJSON *doc = load(ref);
    cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "claims"), 0), "verdict", cJSON_CreateNumber(42));
    save_and_free(doc, res);
    int rc = run("%s/nn-notes --results %s %s", NN_BIN, rdir, note);
    ck_assert_msg(rc == 1 && strstr(out, "claims[0].verdict is missing or not a string"), "nn-notes: exit %d:\n%s", rc, out);
    ck_assert_int_eq(run("cmp %s %s/lectures/08-exploding.md", note, NN_ROOT), 0);
    /* and the seed-set merge: a claim without its statement is refused, the file left as it was (it crashed) */
    doc = load(ref);
    cJSON_DeleteItemFromObject(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "claims"), 0), "statement");
    save_and_free(doc, res);
    ck_assert_int_eq(run("cp %s %s.before && mkdir -p %s/no-exercises", res, res, dir), 0);
    rc = run("%s/nn-seedsets --exercises %s/no-exercises %s", NN_BIN, dir, res);
    ck_assert_msg(rc == 1 && strstr(out, "claims[0].statement is missing or not a string"), "nn-seedsets: exit %d:\n%s", rc, out);
    ck_assert_int_eq(run("cmp %s %s.before", res, res), 0);
}
END_TEST

/* The report is a page a student opens: a value from a results file (an arm's name in a table, a claim's
 * statement, the data set's name, the profile, an environment key) is text in it, never a tag; and a results file
 * without a field the page prints is refused, naming the file and the field, with no page written. */
START_TEST(test_report_values_are_text)
{
    char rdir[700], res[800], html[800], katex[700];
    snprintf(rdir, sizeof rdir, "%s/hostile-results", dir);
    snprintf(res, sizeof res, "%s/exploding.json", rdir);
    snprintf(html, sizeof html, "%s/report.html", dir);
    snprintf(katex, sizeof katex, "%s/katex", dir);
    ck_assert_int_eq(run("mkdir -p %s %s/contrib && touch %s/katex.min.css %s/katex.min.js %s/contrib/auto-render.min.js", rdir,
                         katex, katex, katex, katex),
                     0);
    char ref[700];
    snprintf(ref, sizeof ref, "%s/results/exploding.json", NN_ROOT);
    cJSON *doc = load(ref);
    cJSON *row0 =
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "summary"), "tables"), 0), "rows");
    cJSON_ReplaceItemInArray(cJSON_GetArrayItem(row0, 0), 0, cJSON_CreateString("<img src=x onerror=alert(1)>"));
    /* Markdown from a value: an image the report would embed (any file), a javascript: link */
    cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "summary"), "tables"), 0),
                              "caption",
                              cJSON_CreateString("![key](../../../../../../../etc/passwd) [click](javascript:alert(4))"));
    cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "claims"), 0), "statement",
                              cJSON_CreateString("<img src=x onerror=alert(2)>"));
    cJSON_ReplaceItemInObject(doc, "profile", cJSON_CreateString("<script>alert(3)</script>"));
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(doc, "dataset"), "name", cJSON_CreateString("<b>data</b>"));
    cJSON_AddStringToObject(cJSON_GetObjectItem(doc, "environment"), "<i>key</i>", "<i>value</i>");
    /* one verdict differs from the reference run's: the reference column shows the reference's verdict, marked */
    cJSON *c1 = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "claims"), 1);
    char was[64];
    snprintf(was, sizeof was, "changed: was %s (", cJSON_GetStringValue(cJSON_GetObjectItem(c1, "verdict")));
    cJSON_ReplaceItemInObject(
        c1, "verdict",
        cJSON_CreateString(strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(c1, "verdict")), "held") ? "held" : "not held"));
    const int n_claims = cJSON_GetArraySize(cJSON_GetObjectItem(doc, "claims"));
    save_and_free(doc, res);
    int rc = run("cd %s && bin/nn-report --katex %s --results %s --reference results --out %s lectures/08-exploding.md", NN_ROOT,
                 katex, rdir, html);
    ck_assert_msg(rc == 0, "nn-report exited %d:\n%s", rc, out);
    char *page = NULL;
    ck_assert_int_eq(nn_read_file(html, 1 << 28, &page, NULL), 0);
    const char *raw[] = {"<img src=x", "<script>alert",      "<b>data",      "<i>key",
                         "<i>value",   "href=\"javascript:", "etc/passwd\"", "root:x:0"};
    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
        ck_assert_msg(!strstr(page, raw[i]), "'%s' reaches the report as a tag", raw[i]);
    ck_assert_msg(strstr(page, "&lt;img src=x onerror=alert(2)&gt;") && strstr(page, "&lt;b&gt;data"),
                  "the values are not in the page as text");
    char same[160];
    snprintf(same, sizeof same, "%d of %d verdicts the same, 1 different", n_claims - 1, n_claims);
    ck_assert_msg(strstr(page, same) && strstr(page, was),
                  "the reference column does not show the one changed verdict ('%s', '%s')", same, was);
    free(page);
    /* a field the page prints, missing or mistyped: exit 1, the file and the field named, no page */
    const char *cases[][2] = {{"dataset.train", "dataset.train or dataset.test is missing"},
                              {"claims[0].statement", "claims[0].statement is missing or not a string"},
                              {"profile", "profile is missing or not a string"},
                              {"claims[0].verdict", "claims[0].verdict is missing or not a string"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        doc = load(ref);
        cJSON *c0 = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "claims"), 0);
        if (i == 0) cJSON_DeleteItemFromObject(cJSON_GetObjectItem(doc, "dataset"), "train");
        else if (i == 1) cJSON_ReplaceItemInObject(c0, "statement", cJSON_CreateNumber(1));
        else if (i == 2) cJSON_DeleteItemFromObject(doc, "profile");
        else cJSON_DeleteItemFromObject(c0, "verdict");
        save_and_free(doc, res);
        unlink(html);
        rc = run("cd %s && bin/nn-report --katex %s --results %s --out %s lectures/08-exploding.md", NN_ROOT, katex, rdir, html);
        ck_assert_msg(rc == 1 && strstr(out, cases[i][1]) && strstr(out, res), "a broken %s: exit %d:\n%s", cases[i][0], rc, out);
        ck_assert_msg(access(html, F_OK) != 0, "a page was written from a broken %s", cases[i][0]);
        /* and as the reference run's file */
        rc = run("cd %s && bin/nn-report --katex %s --results results --reference %s --out %s lectures/08-exploding.md", NN_ROOT,
                 katex, rdir, html);
        ck_assert_msg(rc == 1 && strstr(out, cases[i][1]), "a broken %s in the reference: exit %d:\n%s", cases[i][0], rc, out);
    }
    /* a note's results block names a file in the results folder, never a path */
    char note[800];
    snprintf(note, sizeof note, "%s/99-escape.md", dir);
    const char *md = "# x\n<!-- nnlab:results ../x begin -->\n<!-- nnlab:results ../x end -->\n";
    nn_test_write(note, md, strlen(md));
    rc = run("cd %s && bin/nn-report --katex %s --out %s %s", NN_ROOT, katex, html, note);
    ck_assert_msg(rc == 1 && strstr(out, "not an experiment's name"), "a results block named '../x': exit %d:\n%s", rc, out);
}
END_TEST

/* make's variables are data: a run's name is never a path (RUN=.. made runs/.. the checkout and overwrote the
 * reference run), a label or flags never shell syntax, and a '$(shell …)' typed into one is never run. */
START_TEST(test_make_variables_are_data)
{
    char mark[700];
    snprintf(mark, sizeof mark, "%s/MADE", dir);
    const char *bad[][2] = {{"RUN=..", "RUN may hold only"},
                            {"RUN=../../x", "RUN may hold only"},
                            {"RUN=a b", "RUN may hold only"},
                            {"LABEL=x;touch %s;true", "LABEL may hold only"},
                            {"E=depth;touch %s", "E must name one experiment"},
                            {"ARGS=--quick;touch %s", "ARGS may hold only"},
                            {"RUNFLAGS=--quick`touch %s`", "RUNFLAGS may hold only"},
                            {"B=runs/x`touch %s`/exploding.json", "B must be a results file"},
                            {"A=../x.json", "A must be a results file"},
                            {"RUN=$(shell touch %s)", "RUN may hold only"},
                            {"LABEL=$(shell touch %s)", "LABEL may hold only"},
                            {"JOBS=1;touch %s", "JOBS must be a whole number"},
                            {"JOBS=1 REFERENCE=1", "JOBS must be a whole number"},
                            {"REFERENCE=1", "REFERENCE is set by `make reference` alone"},
                            {"B=results/depth.json", "B must be a results file under runs/"},
                            {"MUTANTS=a;touch %s", "MUTANTS may hold only"},
                            {"FUZZ_TEST_SECONDS=$(shell touch %s)", "FUZZ_TEST_SECONDS must be a whole number"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char var[1000];
        snprintf(var, sizeof var, bad[i][0], mark);
        /* the value goes to make as one argument, through the environment: no shell between */
        setenv("NNLAB_TEST_VAR", var, 1);
        int rc = run("cd %s && make -n --no-print-directory help \"$NNLAB_TEST_VAR\"", NN_ROOT);
        ck_assert_msg(rc == 2 && strstr(out, bad[i][1]), "make '%s': exit %d, expected 2 and '%s':\n%s", var, rc, bad[i][1], out);
        struct stat st;
        ck_assert_msg(stat(mark, &st) != 0, "make '%s' ran a command from the variable", var);
    }
    unsetenv("NNLAB_TEST_VAR");
    /* REFERENCE from the environment is refused as well, and a RESULTS typed on the command line is not where a
     * run writes */
    int rc = run("cd %s && REFERENCE=1 make -n --no-print-directory help", NN_ROOT);
    ck_assert_msg(rc == 2 && strstr(out, "REFERENCE is set by"), "REFERENCE in the environment: exit %d:\n%s", rc, out);
    rc = run("cd %s && make -n --no-print-directory experiments RESULTS=results FIGS=plots | grep -c -- '--out results/'",
             NN_ROOT);
    ck_assert_msg(atoi(out) == 0, "RESULTS=results made a run write into results/:\n%s", out);
    /* names, flags and results files as they should be pass */
    rc = run("cd %s && make -n --no-print-directory help RUN=mine LABEL=tanh-2 E=depth 'ARGS=--arms plain --lr 0.5' "
             "B=runs/depth-tanh/depth.json A=results/depth.json 'RUNFLAGS=--seed 20' JOBS=2 MUTANTS=claim-t-margin-n", NN_ROOT);
    ck_assert_msg(rc == 0, "make refused good values (%d):\n%s", rc, out);
}
END_TEST

/* Every exercise's command works (in its quick form), and every exercise has its committed answer. */
START_TEST(test_exercises)
{
    char d[700];
    snprintf(d, sizeof d, "%s/exercises", dir);
    int rc = run("cd %s && tools/exercises %s --quick", NN_ROOT, d);
    ck_assert_msg(rc == 0, "an exercise command failed in its quick form:\n%s", out);
    rc = run("cd %s && %s/nn-notes --exercises lectures/[0-9]*.md", NN_ROOT, NN_BIN);
    ck_assert_int_eq(rc, 0);
    char *list = strdup(out);
    int n = 0;
    for (char *line = strtok(list, "\n"); line; line = strtok(NULL, "\n"), n++) {
        char id[128], path[900];
        ck_assert_int_eq(sscanf(line, "%127[^\t]", id), 1);
        snprintf(path, sizeof path, "%s/results/exercises/%s.json", NN_ROOT, id);
        struct stat st;
        ck_assert_msg(stat(path, &st) == 0, "exercise %s has no committed answer (%s): run make reference-exercises", id, path);
        snprintf(path, sizeof path, "%s/%s.json", d, id);
        ck_assert_msg(stat(path, &st) == 0 && st.st_size > 0, "exercise %s wrote no results in its quick form", id);
    }
    free(list);
    ck_assert_msg(n >= 13 * 4, "only %d exercises have answer markers", n);
    rc = run("cd %s && grep -l 'No committed run of this exercise' lectures/[0-9]*.md | wc -l", NN_ROOT);
    ck_assert_msg(atoi(out) == 0, "a note shows an exercise without its answer");
}
END_TEST

Suite *suite_experiments(void)
{
    Suite *s = suite_create("experiments");
    TCase *tc = tcase_create("quick");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_quick_profile, 0, N_EXPERIMENTS);
    tcase_add_loop_test(tc, test_bad_input_keeps_results, 0, N_EXPERIMENTS);
    tcase_add_loop_test(tc, test_quick_reproducible, 0, N_EXPERIMENTS);
    tcase_add_test(tc, test_sigkill_never_leaves_a_partial_file);
    tcase_add_test(tc, test_student_run_folder);
    tcase_add_test(tc, test_hostile_arm_name_runs_nothing);
    tcase_add_test(tc, test_make_variables_are_data);
    tcase_add_test(tc, test_runs_dir_is_a_path);
    tcase_add_test(tc, test_compare_refuses_broken_results);
    tcase_add_test(tc, test_report_values_are_text);
    tcase_add_test(tc, test_compare_counts_changes);
    tcase_add_test(tc, test_seeds_distinct_and_paired);
    tcase_add_test(tc, test_largest_seed);
    tcase_add_test(tc, test_exercises);
    tcase_add_loop_test(tc, test_student_runs_say_what_ran, 0, (int)(sizeof student_runs / sizeof student_runs[0]));
    suite_add_tcase(s, tc);
    return s;
}

/* ---- the lecture notes' generated blocks ---------------------------------------------- */

START_TEST(test_notes_match_results)
{
    /* the committed notes and results agree: what `make lectures` would write is what is there */
    int rc = run("cd %s && %s/nn-notes --check lectures/[0-9]*.md lectures/README.md", NN_ROOT, NN_BIN);
    ck_assert_msg(rc == 0, "a lecture note is out of date with its results (run `make lectures`):\n%s", out);
}
END_TEST

START_TEST(test_notes_detect_stale_block)
{
    char note[700], res[700];
    snprintf(note, sizeof note, "%s/n.md", dir);
    snprintf(res, sizeof res, "%s/saturation.json", dir);
    /* the note, its results and its exercises' answers (the answer blocks read DIR/exercises/) */
    ck_assert_int_eq(
        run("cp %s/lectures/01-saturation.md %s && cp %s/results/saturation.json %s && cp -r %s/results/exercises %s/", NN_ROOT,
            note, NN_ROOT, res, NN_ROOT, dir),
        0);
    ck_assert_int_eq(run("%s/nn-notes --check --results %s %s", NN_BIN, dir, note), 0);
    /* change one measured value in the results: the note's block is now stale */
    cJSON *doc = load(res);
    cJSON *c0 = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "claims"), 0);
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(c0, "effect"), "mean", cJSON_CreateNumber(0.123456));
    ck_assert_int_eq(nn_results_write(doc, res, 1.0), 0);
    cJSON_Delete(doc);
    ck_assert_int_eq(run("%s/nn-notes --check --results %s %s", NN_BIN, dir, note), 1);
    ck_assert_ptr_nonnull(strstr(out, "out of date"));
    ck_assert_int_eq(run("%s/nn-notes --results %s %s", NN_BIN, dir, note), 0);
    ck_assert_int_eq(run("%s/nn-notes --check --results %s %s", NN_BIN, dir, note), 0);
    ck_assert_int_eq(run("grep -c '0.1235' %s", note), 0); /* the new number is in the note */
    /* everything outside the block is left as it was */
    ck_assert_int_eq(
        run("sed '/nnlab:results saturation begin/,/nnlab:results saturation end/d' %s/lectures/01-saturation.md > %s/a && "
            "sed '/nnlab:results saturation begin/,/nnlab:results saturation end/d' %s > %s/b && cmp %s/a %s/b && echo same",
            NN_ROOT, dir, note, dir, dir, dir),
        0);
    ck_assert_ptr_nonnull(strstr(out, "same"));
    /* an exercise's answer block follows its committed run the same way */
    char ex[800];
    snprintf(ex, sizeof ex, "%s/exercises/01-saturation-1.json", dir);
    doc = load(ex);
    c0 = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "claims"), 0);
    cJSON_ReplaceItemInObject(c0, "measured", cJSON_CreateNumber(0.654321));
    ck_assert_int_eq(nn_results_write(doc, ex, 1.0), 0);
    cJSON_Delete(doc);
    ck_assert_int_eq(run("%s/nn-notes --check --results %s %s", NN_BIN, dir, note), 1);
    ck_assert_int_eq(run("%s/nn-notes --results %s %s && grep -c '0.6543' %s", NN_BIN, dir, note, note), 0);
    /* a broken marker is an error, not a silent skip */
    nn_test_write(note, "<!-- nnlab:results saturation begin -->\nno end\n", 47);
    ck_assert_int_eq(run("%s/nn-notes --results %s %s", NN_BIN, dir, note), 1);
    ck_assert_ptr_nonnull(strstr(out, "has no end marker"));
}
END_TEST

/* The coverage index names every claim of the reference run and only claims that exist; a claim
 * dropped from it, a claim it invents, or a gap in its numbering is caught, naming the claim. */
START_TEST(test_coverage_index)
{
    char path[1024], rdir[1024];
    snprintf(path, sizeof path, "%s/lectures/coverage.json", NN_ROOT);
    snprintf(rdir, sizeof rdir, "%s/results", NN_ROOT);
    cJSON *index, **docs;
    ck_assert_msg(nn_coverage_load(path, &index) == 0, "%s", nn_error());
    int n = nn_coverage_load_docs(rdir, &docs);
    ck_assert_int_eq(n, N_EXPERIMENTS);
    ck_assert_msg(nn_coverage_check(index, docs, n) == 0, "%s", nn_error());
    /* every status is reachable and the table has one row per item */
    nn_str md = {0};
    nn_coverage_markdown(index, docs, n, &md);
    int rows = 0;
    for (const char *p = md.s; (p = strstr(p, "\n| ")); p++) rows++;
    ck_assert_int_eq(rows - 1, cJSON_GetArraySize(index)); /* minus the header row */
    nn_str_free(&md);
    /* the honest count: an item counts as tested only through a lecture claim in the seed's setting whose verdict is
     * not fragile; an item whose claims are identities or setup claims only is "checked by an identity" */
    cJSON *item, *first_tested = NULL;
    int tested = 0;
    cJSON_ArrayForEach(item, index)
    {
        nn_cov_status st = nn_cov_status_in(item, docs, n);
        if (st != NN_COV_TESTED) continue;
        tested++;
        ck_assert_ptr_null(cJSON_GetObjectItem(item, "setting"));
        int sound = 0;
        const cJSON *cn;
        cJSON_ArrayForEach(cn, cJSON_GetObjectItem(item, "claims"))
        {
            const cJSON *cl = nn_coverage_find_claim(docs, n, cn->valuestring);
            sound |= cl && nn_claim_kind_of(cl) == NN_LECTURE && !cJSON_IsTrue(cJSON_GetObjectItem(cl, "fragile"));
        }
        ck_assert_msg(sound, "item %d counts as tested without a lecture claim that is not fragile",
                      cJSON_GetObjectItem(item, "n")->valueint);
        if (!first_tested) first_tested = item;
    }
    ck_assert_ptr_nonnull(first_tested);
    item = first_tested;
    {
        const cJSON *cn;
        /* an item stops counting when its claims are made fragile, then identities */
        cJSON_ArrayForEach(cn, cJSON_GetObjectItem(item, "claims"))
        {
            cJSON *cl = nn_coverage_find_claim(docs, n, cn->valuestring);
            cJSON_DeleteItemFromObject(cl, "fragile");
            cJSON_AddBoolToObject(cl, "fragile", 1);
        }
        ck_assert_int_eq(nn_cov_status_in(item, docs, n), NN_COV_FRAGILE);
        cJSON_ArrayForEach(cn, cJSON_GetObjectItem(item, "claims"))
            cJSON_ReplaceItemInObject(nn_coverage_find_claim(docs, n, cn->valuestring), "kind", cJSON_CreateString("identity"));
        ck_assert_int_eq(nn_cov_status_in(item, docs, n), NN_COV_IDENTITY);
    }
    ck_assert_int_gt(tested, 0);
    nn_coverage_free_docs(docs, n);
    n = nn_coverage_load_docs(rdir, &docs);
    ck_assert_int_eq(n, N_EXPERIMENTS);
    /* drop the first claim of the first tested item: the results now hold a claim in no item */
    cJSON *e, *hit = NULL;
    cJSON_ArrayForEach(e, index) if (!hit && cJSON_GetArraySize(cJSON_GetObjectItem(e, "claims")) > 0) hit = e;
    ck_assert_ptr_nonnull(hit);
    cJSON *claims = cJSON_GetObjectItem(hit, "claims");
    char dropped[256];
    snprintf(dropped, sizeof dropped, "%s", cJSON_GetArrayItem(claims, 0)->valuestring);
    int named_elsewhere = 0;
    cJSON *dup = cJSON_Duplicate(index, 1);
    cJSON_DeleteItemFromArray(cJSON_GetObjectItem(cJSON_GetArrayItem(dup, cJSON_GetObjectItem(hit, "n")->valueint - 1), "claims"),
                              0);
    cJSON *e2, *c2;
    cJSON_ArrayForEach(e2, dup) cJSON_ArrayForEach(c2, cJSON_GetObjectItem(e2, "claims")) named_elsewhere |=
        !strcmp(c2->valuestring, dropped);
    if (!named_elsewhere) {
        ck_assert_int_ne(nn_coverage_check(dup, docs, n), 0);
        ck_assert_msg(strstr(nn_error(), strchr(dropped, ':') + 1), "'%s' not named in: %s", dropped, nn_error());
    }
    cJSON_Delete(dup);
    /* a claim that does not exist */
    dup = cJSON_Duplicate(index, 1);
    cJSON_AddItemToArray(cJSON_GetObjectItem(cJSON_GetArrayItem(dup, 2), "claims")
                             ? cJSON_GetObjectItem(cJSON_GetArrayItem(dup, 2), "claims")
                             : cJSON_AddArrayToObject(cJSON_GetArrayItem(dup, 2), "claims"),
                         cJSON_CreateString("cnn:no-such-claim"));
    ck_assert_int_ne(nn_coverage_check(dup, docs, n), 0);
    ck_assert_msg(strstr(nn_error(), "'cnn:no-such-claim' (item 3)"), "%s", nn_error());
    cJSON_Delete(dup);
    /* numbering with a gap, and an unknown key, are refused on load */
    char bad[700];
    snprintf(bad, sizeof bad, "%s/cov-bad.json", dir);
    const char *gap = "[{\"n\": 1, \"seeds\": \"000:1\", \"item\": \"a\"}, {\"n\": 3, \"seeds\": \"000:2\", \"item\": \"b\"}]";
    nn_test_write(bad, gap, strlen(gap));
    cJSON *x;
    ck_assert_int_ne(nn_coverage_load(bad, &x), 0);
    ck_assert_ptr_nonnull(strstr(nn_error(), "entry 2 must be an object with \"n\": 2"));
    const char *key = "[{\"n\": 1, \"seeds\": \"000:1\", \"item\": \"a\", \"tested\": true}]";
    nn_test_write(bad, key, strlen(key));
    ck_assert_int_ne(nn_coverage_load(bad, &x), 0);
    ck_assert_msg(strstr(nn_error(), "unknown key \"tested\""), "%s", nn_error());
    nn_coverage_free_docs(docs, n);
    cJSON_Delete(index);
}
END_TEST

/* The formatter's line limit (.clang-format's ColumnLimit) is one the code keeps: every line of the C sources, in
 * characters (UTF-8 code points), fits. */
START_TEST(test_sources_keep_the_line_limit)
{
    char *cfg = NULL;
    ck_assert_int_eq(nn_read_file(".clang-format", 1 << 16, &cfg, NULL), 0);
    const char *at = strstr(cfg, "\nColumnLimit:");
    ck_assert_msg(at != NULL, ".clang-format sets no ColumnLimit");
    const long limit = strtol(at + 13, NULL, 10);
    free(cfg);
    ck_assert_int_gt(limit, 40);
    const char *dirs[] = {"lib", "lab", "experiments", "tools", "tests", "tests/fuzz"}, *ext[] = {".c", ".h"};
    int files = 0, over = 0;
    char report[2048] = "";
    for (size_t d = 0; d < sizeof dirs / sizeof *dirs; d++)
        for (int x = 0; x < 2; x++) {
            char **names;
            int n;
            ck_assert_msg(nn_list_dir(dirs[d], ext[x], &names, &n) == 0, "%s", nn_error());
            for (int i = 0; i < n; i++) {
                char path[512], *text = NULL;
                snprintf(path, sizeof path, "%s/%s", dirs[d], names[i]);
                ck_assert_msg(nn_read_file(path, 1 << 24, &text, NULL) == 0, "%s", nn_error());
                files++;
                long line = 1, cols = 0;
                for (const unsigned char *p = (const unsigned char *)text;; p++) {
                    if (*p == '\n' || !*p) {
                        if (cols > limit && over++ < 5) {
                            size_t used = strlen(report);
                            snprintf(report + used, sizeof report - used, " %s:%ld (%ld)", path, line, cols);
                        }
                        if (!*p) break;
                        line++, cols = 0;
                    } else if ((*p & 0xC0) != 0x80) {
                        cols++;
                    }
                }
                free(text), free(names[i]);
            }
            free(names);
        }
    ck_assert_int_gt(files, 50);
    ck_assert_msg(over == 0, "%d lines longer than %ld characters:%s", over, limit, report);
}
END_TEST

Suite *suite_notes(void)
{
    Suite *s = suite_create("notes");
    TCase *tc = tcase_create("blocks");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_notes_match_results);
    tcase_add_test(tc, test_notes_detect_stale_block);
    tcase_add_test(tc, test_coverage_index);
    tcase_add_test(tc, test_sources_keep_the_line_limit);
    suite_add_tcase(s, tc);
    return s;
}
