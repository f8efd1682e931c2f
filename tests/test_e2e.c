/* test_e2e.c — the programs in bin/ (float build), as a user runs them. */
#include "nn_test.h"

#include <sys/stat.h>
#include <unistd.h>

#ifndef NN_BIN
#define NN_BIN nn_test_bin()
#endif

static char dir[512];
static void setup(void) { nn_test_tmpdir(dir, sizeof dir); }
static void teardown(void) { nn_test_rmdir(dir); }

static char out[16384];

static int run(const char *fmt, const char *arg)
{
    char cmd[2048], a[1024];
    snprintf(a, sizeof a, fmt, arg);
    snprintf(cmd, sizeof cmd, "%s/%s", NN_BIN, a);
    return nn_test_run(cmd, out, sizeof out);
}

/* the document without its timing fields, printed */
static char *normalized(const char *path)
{
    char *t = NULL;
    ck_assert_msg(nn_read_file(path, 1 << 26, &t, NULL) == 0, "%s", nn_error());
    cJSON *doc = cJSON_Parse(t);
    free(t);
    ck_assert_ptr_nonnull(doc);
    cJSON_DeleteItemFromObject(doc, "wall_seconds");
    cJSON *run;
    cJSON_ArrayForEach(run, cJSON_GetObjectItem(doc, "runs"))
        cJSON_DeleteItemFromObject(cJSON_GetObjectItem(run, "history"), "timing");
    const cJSON *c, *sd;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "conditions")) cJSON_ArrayForEach(sd, cJSON_GetObjectItem(c, "seeds"))
        cJSON_DeleteItemFromObject(cJSON_GetObjectItem(sd, "history"), "timing");
    char *s = cJSON_Print(doc);
    cJSON_Delete(doc);
    return s;
}

/* nn-samevalues, the proof of a port to the grid layout: the same numbers in another layout are the same;
 * one number off by an ulp, or one claim field changed, is not (exit 1, the path named). */
START_TEST(test_samevalues_sees_one_number)
{
    const char *old = "{\"config\": {\"seeds\": 2}, \"claims\": [{\"id\": \"c\", \"per_seed\": [0.5, 0.25]}], "
                      "\"runs\": [{\"label\": \"a\", \"history\": {\"test_acc\": [0.9, 0.95], \"timing\": {\"s\": [1]}}}], "
                      "\"summary\": {\"m\": {\"mean\": 3.25}, \"tables\": [{\"rows\": [[7]]}]}}";
    const char *docs[][2] = {
        {"same", "{\"config\": {\"seeds\": 2}, \"claims\": [{\"id\": \"c\", \"per_seed\": [0.5, 0.25]}], \"conditions\": "
                 "[{\"seeds\": [{\"history\": {\"test_acc\": [0.9, 0.95]}}], \"summary\": {\"m\": {\"mean\": 3.25}}}]}"},
        {"ulp",
         "{\"config\": {\"seeds\": 2}, \"claims\": [{\"id\": \"c\", \"per_seed\": [0.5, 0.25]}], \"conditions\": "
         "[{\"seeds\": [{\"history\": {\"test_acc\": [0.9, 0.95000000000000007]}}], \"summary\": {\"m\": {\"mean\": 3.25}}}]}"},
        {"claim", "{\"config\": {\"seeds\": 2}, \"claims\": [{\"id\": \"c\", \"per_seed\": [0.5, 0.26]}], \"conditions\": "
                  "[{\"seeds\": [{\"history\": {\"test_acc\": [0.9, 0.95]}}], \"summary\": {\"m\": {\"mean\": 3.25}}}]}"}};
    char path[700], cmd[2200];
    snprintf(path, sizeof path, "%s/old.json", dir);
    ck_assert_int_eq(nn_write_file_atomic(path, old, strlen(old)), 0);
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/%s.json", dir, docs[k][0]);
        ck_assert_int_eq(nn_write_file_atomic(path, docs[k][1], strlen(docs[k][1])), 0);
        snprintf(cmd, sizeof cmd, "nn-samevalues %s/old.json %s", dir, path);
        int rc = run("%s", cmd);
        ck_assert_msg(rc == (k ? 1 : 0) && strstr(out, k ? "DIFFERENT" : "same: 1 claims, 3 measured numbers"),
                      "%s: exit %d:\n%s", docs[k][0], rc, out);
    }
    ck_assert_msg(strstr(out, "claim c: 'per_seed' differs"), "%s", out);
    snprintf(cmd, sizeof cmd, "nn-samevalues %s/old.json %s/ulp.json", dir, dir);
    run("%s", cmd);
    ck_assert_msg(strstr(out, "runs[0].history.test_acc[1] = 0.94999999999999996"), "%s", out);
}
END_TEST

START_TEST(test_help_lists_defaults)
{
    ck_assert_int_eq(run("nntrain --help%s", ""), 0);
    ck_assert_ptr_nonnull(strstr(out, "usage: nntrain"));
    ck_assert_ptr_nonnull(strstr(out, "--seed"));
    ck_assert_ptr_nonnull(strstr(out, "--activation"));
    ck_assert_ptr_nonnull(strstr(out, "[\"sigmoid\"]"));
    ck_assert_int_eq(run("nn-npm2idx --help%s", ""), 0);
}
END_TEST

START_TEST(test_bad_flags_and_config)
{
    ck_assert_int_eq(run("nntrain --lr%s", ""), 2);
    ck_assert_ptr_nonnull(strstr(out, "flag --lr needs a value"));
    ck_assert_int_eq(run("nntrain --activation swish%s", ""), 2);
    ck_assert_ptr_nonnull(strstr(out, "'activation' = 'swish' is not one of"));
    ck_assert_int_eq(run("nntrain --frobnicate 1%s", ""), 2);
    ck_assert_ptr_nonnull(strstr(out, "unknown flag -- 'frobnicate'"));
    char cfg[600];
    snprintf(cfg, sizeof cfg, "%s/c.json", dir);
    nn_test_write(cfg, "{\"lr\": 0}", 9);
    ck_assert_int_eq(run("nntrain --config %s", cfg), 2);
    ck_assert_ptr_nonnull(strstr(out, "'lr' = 0 is out of range"));
    ck_assert_int_eq(run("nntrain --data mnist --out /nonexistent/dir/r.json --epochs 1 --n_train 10%s", ""), 1);
    /* either the data is missing or the output directory is: each is named */
    ck_assert(strstr(out, "/nonexistent/dir/r.json") || strstr(out, "make data"));
}
END_TEST

START_TEST(test_two_processes_same_file)
{
    char a[600], b[600];
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    const char *args = "nntrain --data spirals --hidden 16,16 --activation tanh --epochs 5 --dropout 0.1 "
                       "--optimizer nesterov --lr 0.05 --seeds 2 --out %s";
    ck_assert_int_eq(run(args, a), 0);
    ck_assert_int_eq(run(args, b), 0);
    char *ta = normalized(a), *tb = normalized(b);
    ck_assert_str_eq(ta, tb);
    ck_assert_ptr_nonnull(strstr(ta, "\"environment\""));
    ck_assert_ptr_nonnull(strstr(ta, "\"checksum_fnv1a64\""));
    free(ta), free(tb);
}
END_TEST

START_TEST(test_diverged_run_reported)
{
    char a[600];
    snprintf(a, sizeof a, "%s/d.json", dir);
    ck_assert_int_eq(run("nntrain --data blobs --hidden 16,16 --activation linear --output linear --loss quadratic "
                         "--init normal --lr 50 --epochs 20 --out %s", a), 3);
    ck_assert_ptr_nonnull(strstr(out, "diverged"));
    char *t = normalized(a);
    ck_assert_ptr_nonnull(strstr(t, "\"what\":"));
    free(t);
}
END_TEST

/* a claim of a results document, by id */
static const cJSON *claim_of(const cJSON *doc, const char *id)
{
    const cJSON *c = nn_claims_find(doc, id);
    ck_assert_msg(c != NULL, "no claim %s", id);
    return c;
}

static const char *field(const cJSON *c, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(c, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* Claims declared in a config (lab/nn_decl.h) are judged by the frame with the one rule: a statement shows the
 * settings that ran, reversing the operator reverses the verdict, a condition that did not run or is compared
 * with itself leaves the claim unmeasured, and a bad entry is an error that names it and writes nothing. */
START_TEST(test_declared_claims)
{
    const char *good =
        "{\"claims\": ["
        "{\"id\": \"acc-{depths[-1]}\", \"kind\": \"identity\", \"statement\": \"{{S}} = {S}, depths {depths}, last "
        "{depths[-1]}, "
        "{depths#} of them\", \"source\": \"t\", \"quantity\": \"q\", \"measure\": \"test_acc\", \"of\": \"plain-{depths[0]}\", "
        "\"op\": \">\", \"threshold\": -1,"
        " \"preconditions\": [{\"what\": \"seeds measured\", \"measure\": \"test_acc\", \"of\": \"plain-{depths[0]}\", "
        "\"stat\": \"count >= 0\", \"op\": \">=\", \"threshold\": \"{S}\"}]},"
        "{\"id\": \"reversed\", \"kind\": \"identity\", \"statement\": \"s\", \"source\": \"t\", \"quantity\": \"q\", "
        "\"measure\": \"test_acc\", \"of\": \"plain-{depths[0]}\", \"op\": \"<\", \"threshold\": -1},"
        "{\"id\": \"itself\", \"kind\": \"setup\", \"statement\": \"s\", \"source\": \"t\", \"quantity\": \"q\", \"measure\": "
        "\"train_loss\", \"of\": \"residual-2\", \"vs\": \"residual-2\", \"as\": \"ratio\", \"op\": \">\", \"threshold\": 0},"
        "{\"id\": \"absent\", \"kind\": \"setup\", \"statement\": \"s\", \"source\": \"t\", \"quantity\": \"q\", \"measure\": "
        "\"train_loss\", \"of\": \"plain-99\", \"op\": \">\", \"threshold\": 0}]}";
    char cfg[600], res[600], args[1400];
    snprintf(cfg, sizeof cfg, "%s/claims.json", dir);
    snprintf(res, sizeof res, "%s/r.json", dir);
    nn_test_write(cfg, good, strlen(good));
    snprintf(args, sizeof args, "residual --quick --data spirals --seeds 2 --depths 2,6 --config %s --out %s", cfg, res);
    ck_assert_msg(run("%s", args) == 0, "%s", out);
    char *text = NULL;
    ck_assert_int_eq(nn_read_file(res, 1 << 24, &text, NULL), 0);
    cJSON *doc = cJSON_Parse(text);
    ck_assert_ptr_nonnull(doc);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "claims")), 4); /* the config's claims replace the lesson's */
    const cJSON *c = claim_of(doc, "acc-6");
    ck_assert_str_eq(field(c, "statement"), "{S} = 2, depths 2, 6, last 6, 2 of them");
    ck_assert_str_eq(field(c, "verdict"), "held");
    ck_assert_int_eq(nn_claim_rejudge(c), NN_HELD);
    ck_assert_str_eq(field(claim_of(doc, "reversed"), "verdict"), "not held");
    ck_assert_msg(strstr(field(claim_of(doc, "itself"), "unmeasured"), "compared with itself"), "%s",
                  field(claim_of(doc, "itself"), "unmeasured"));
    ck_assert_msg(strstr(field(claim_of(doc, "absent"), "unmeasured"), "'plain-99' is not in this run"), "%s",
                  field(claim_of(doc, "absent"), "unmeasured"));
    cJSON_Delete(doc);
    /* each mistake is named, exits 2 and leaves the good results file as it was */
    const char *bad[][2] = {
        {"{\"claims\": [{\"id\": \"x\", \"kind\": \"setup\", \"statement\": \"s\", \"source\": \"t\", \"quantity\": \"q\", "
         "\"measure\": \"m\", \"of\": \"a\", \"op\": \">\", \"threshold\": 0, \"colour\": 1}]}",
         "unknown key 'colour'"},
        {"{\"claims\": [{\"id\": \"x\", \"kind\": \"setup\", \"statement\": \"{depth}\", \"source\": \"t\", \"quantity\": \"q\", "
         "\"measure\": \"m\", \"of\": \"a\", \"op\": \">\", \"threshold\": 0}]}",
         "'{depth}' names no setting"},
        {"{\"claims\": [{\"id\": \"x\", \"kind\": \"setup\", \"statement\": \"{depths[5]}\", \"source\": \"t\", \"quantity\": "
         "\"q\", "
         "\"measure\": \"m\", \"of\": \"a\", \"op\": \">\", \"threshold\": 0}]}",
         "'depths' has 2 elements"},
        {"{\"claims\": [{\"id\": \"x\", \"kind\": \"opinion\", \"statement\": \"s\", \"source\": \"t\", \"quantity\": \"q\", "
         "\"measure\": \"m\", \"of\": \"a\", \"op\": \">\", \"threshold\": 0}]}",
         "kind 'opinion'"},
        {"{\"claims\": [{\"id\": \"x\", \"kind\": \"setup\", \"statement\": \"s\", \"source\": \"t\", \"quantity\": \"q\", "
         "\"measure\": \"m\", \"of\": \"a\", \"op\": \"=\", \"threshold\": 0}]}",
         "'op' must be"},
        {"{\"claims\": [{\"id\": \"x\", \"kind\": \"setup\", \"statement\": \"s\", \"source\": \"t\", \"quantity\": \"q\", "
         "\"measure\": \"test_acc\", \"of\": \"plain-2\", \"vs\": \"plain-6\", \"op\": \">\", \"threshold\": 0}]}",
         "'vs'"},
        {"{\"claims\": [{\"id\": \"x\", \"kind\": \"setup\", \"statement\": \"s\", \"source\": \"t\", \"quantity\": \"q\", "
         "\"measure\": \"test_accuracy\", \"of\": \"plain-2\", \"op\": \">\", \"threshold\": 0}]}",
         "condition 'plain-2' recorded no number 'test_accuracy'"},
        {"{\"claims\": [{\"id\": \"x\", \"kind\": \"setup\", \"statement\": \"s\", \"source\": \"t\", \"quantity\": \"q\", "
         "\"measure\": \"test_acc\", \"of\": \"plain-2\", \"op\": \">\", \"threshold\": 0, \"preconditions\": [{\"what\": \"w\", "
         "\"derived\": \"nothing\", \"op\": \">\", \"threshold\": 0}]}]}",
         "computed no number 'nothing'"},
        {"{\"claims\": [{\"id\": \"x\", \"kind\": \"setup\", \"statement\": \"s\", \"source\": \"t\", \"quantity\": \"q\", "
         "\"measure\": \"test_acc\", \"of\": \"plain-2\", \"op\": \">\", \"threshold\": 0, \"needs\": [{\"value\": "
         "\"{depths#}\", \"op\": \"=\", \"threshold\": 2, \"why\": \"w\"}]}]}",
         "a rule in 'needs' has an op"},
        {"{\"quick\": {\"claims\": []}}", "may not redefine 'claims'"}};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char *before = NULL, *after = NULL;
        ck_assert_int_eq(nn_read_file(res, 1 << 24, &before, NULL), 0);
        nn_test_write(cfg, bad[k][0], strlen(bad[k][0]));
        int rc = run("%s", args);
        ck_assert_msg(rc == 2 && strstr(out, bad[k][1]), "case %zu: exit %d:\n%s", k, rc, out);
        ck_assert_int_eq(nn_read_file(res, 1 << 24, &after, NULL), 0);
        ck_assert_msg(!strcmp(before, after), "case %zu changed the results file", k);
        free(before), free(after);
    }
    free(text);
}
END_TEST

static int run_in(const char *args, const char *extra)
{
    char a[2400];
    snprintf(a, sizeof a, "%s %s", args, extra);
    return run("%s", a);
}

/* A grid run in slices and merged is the whole run: the same document, timing aside (lab/nn_grid.h). A merge
 * refuses a folder with a cell missing, a cell twice, or a slice of another run; a program whose seed's cells
 * build on each other refuses a slice of some conditions; each error exits 2 and writes nothing. */
START_TEST(test_slices_merge_to_the_whole_run)
{
    char args[1200], whole[600], merged[600], cells[600], extra[1400], path[700];
    snprintf(args, sizeof args, "residual --quick --data spirals --seeds 2 --depths 2,4");
    snprintf(whole, sizeof whole, "%s/whole.json", dir);
    snprintf(merged, sizeof merged, "%s/merged.json", dir);
    snprintf(cells, sizeof cells, "%s/cells", dir);
    ck_assert_int_eq(mkdir(cells, 0755), 0);
    snprintf(extra, sizeof extra, "--out %s", whole);
    ck_assert_msg(run_in(args, extra) == 0, "%s", out);
    const char *slices[] = {"0-1:0", "0-1:1", "2-3:*"};
    for (int k = 0; k < 3; k++) {
        snprintf(extra, sizeof extra, "--slice %s --out %s/s%d.json", slices[k], cells, k);
        ck_assert_msg(run_in(args, extra) == 0 && strstr(out, "wrote a slice"), "%s: %s", slices[k], out);
    }
    snprintf(extra, sizeof extra, "--merge %s --out %s", cells, merged);
    ck_assert_msg(run_in(args, extra) == 0, "%s", out);
    char *a = normalized(whole), *b = normalized(merged);
    ck_assert_msg(!strcmp(a, b), "the merged document differs from the whole run's");
    free(a), free(b);
    /* the errors, each leaving the merged document as it was */
    char *before = NULL, *after = NULL;
    ck_assert_int_eq(nn_read_file(merged, 1 << 26, &before, NULL), 0);
    snprintf(path, sizeof path, "%s/s2.json", cells);
    char moved[700];
    snprintf(moved, sizeof moved, "%s/s2.saved", dir);
    ck_assert_int_eq(rename(path, moved), 0);
    snprintf(extra, sizeof extra, "--merge %s --out %s", cells, merged);
    ck_assert_msg(run_in(args, extra) == 2 && strstr(out, "the slices hold 4 of the 8 cells; missing: condition 'residual-2'"),
                  "%s", out);
    ck_assert_int_eq(rename(moved, path), 0);
    snprintf(extra, sizeof extra, "--slice 0:0 --out %s/twice.json", cells);
    ck_assert_int_eq(run_in(args, extra), 0);
    snprintf(extra, sizeof extra, "--merge %s --out %s", cells, merged);
    ck_assert_msg(run_in(args, extra) == 2 && strstr(out, "is in two slices"), "%s", out);
    snprintf(path, sizeof path, "%s/twice.json", cells);
    ck_assert_int_eq(unlink(path), 0);
    snprintf(extra, sizeof extra, "--lr 0.05 --merge %s --out %s", cells, merged);
    ck_assert_msg(run_in(args, extra) == 2 && strstr(out, "is a slice of another run: its config differs"), "%s", out);
    snprintf(extra, sizeof extra, "--slice 0-9:0 --out %s/bad.json", cells);
    ck_assert_msg(run_in(args, extra) == 2 && strstr(out, "CONDITIONS:SEEDS"), "%s", out);
    ck_assert_int_eq(nn_read_file(merged, 1 << 26, &after, NULL), 0);
    ck_assert_msg(!strcmp(before, after), "an error changed the merged document");
    free(before), free(after);
    /* the dropout net's thinned copy uses the unregularized net's weights: slices take every condition */
    snprintf(extra, sizeof extra, "regularization --quick --data spirals --seeds 2 --slice 0:0 --out %s/r.json", dir);
    ck_assert_msg(run("%s", extra) == 2 && strstr(out, "give the slice every condition"), "%s", out);
}
END_TEST

Suite *suite_e2e(void)
{
    Suite *s = suite_create("e2e");
    TCase *tc = tcase_create("programs");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_help_lists_defaults);
    tcase_add_test(tc, test_bad_flags_and_config);
    tcase_add_test(tc, test_two_processes_same_file);
    tcase_add_test(tc, test_diverged_run_reported);
    tcase_add_test(tc, test_samevalues_sees_one_number);
    tcase_add_test(tc, test_declared_claims);
    tcase_add_test(tc, test_slices_merge_to_the_whole_run);
    suite_add_tcase(s, tc);
    return s;
}
