/* test_results.c — atomic writes, NaN handling, claims, byte-identical documents. */
#include "nn_test.h"
#include "nn_report.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[512];
static void setup(void) { nn_test_tmpdir(dir, sizeof dir); }
static void teardown(void) { nn_test_rmdir(dir); }

static char *slurp(const char *p)
{
    char *t = NULL;
    ck_assert_msg(nn_read_file(p, 1 << 26, &t, NULL) == 0, "%s", nn_error());
    return t;
}

static int count_entries(const char *d)
{
    char cmd[700], out[64];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", d);
    nn_test_run(cmd, out, sizeof out);
    return atoi(out);
}

START_TEST(test_failed_write_keeps_old_file)
{
    char p[600];
    snprintf(p, sizeof p, "%s/r.json", dir);
    cJSON *small = nn_results_new("t", "old");
    ck_assert_int_eq(nn_results_write(small, p, 1.0), 0);
    cJSON_Delete(small);
    char *before = slurp(p);
    /* a child whose file-size limit is 200 bytes tries to replace it with a large document */
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {200, 200};
        setrlimit(RLIMIT_FSIZE, &rl);
        cJSON *big = nn_results_new("t", "new");
        double v[5000];
        for (int i = 0; i < 5000; i++) v[i] = i;
        cJSON_AddItemToObject(big, "series", nn_json_series(v, 5000));
        int rc = nn_results_write(big, p, 2.0);
        int ok = rc == -1 && strstr(nn_error(), "cannot write") && strstr(nn_error(), "unchanged");
        cJSON_Delete(big); /* the child frees what it holds, so leak checkers (valgrind) stay quiet */
        free(before);
        _exit(ok ? 0 : 1);
    }
    int st;
    waitpid(pid, &st, 0);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the failing write did not report its error (child %s %d)",
                  WIFEXITED(st) ? "exited" : "killed by signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    char *after = slurp(p);
    ck_assert_str_eq(before, after);
    ck_assert_int_eq(count_entries(dir), 1); /* no temporary file left behind */
    free(before);
    free(after);
    /* an output directory that does not exist */
    char q[700];
    snprintf(q, sizeof q, "%s/no/such/dir/r.json", dir);
    cJSON *d = nn_results_new("t", NULL);
    ck_assert_int_eq(nn_results_write(d, q, 0), -1);
    ck_assert_ptr_nonnull(strstr(nn_error(), "No such file or directory"));
    cJSON_Delete(d);
}
END_TEST

START_TEST(test_numbers_and_claims)
{
    cJSON *doc = nn_results_new("t", NULL);
    double v[4] = {0.1f, NAN, INFINITY, 1.0 / 3.0};
    cJSON_AddItemToObject(doc, "s", nn_json_series(v, 4));
    char *t = cJSON_PrintUnformatted(cJSON_GetObjectItem(doc, "s"));
    ck_assert_str_eq(t, "[0.100000001,null,null,0.333333333]"); /* 9 digits; NaN/Inf → null */
    cJSON_free(t);
    uint64_t seeds[3] = {1, 2, 3};
    double all[3] = {2.5, 3, 3.5}, close[3] = {1.05, 1.3, 1.1}, none[3] = {0.2, 0.1, 0.3}, mixed[3] = {1.5, 0.2, 2},
           one_nan[3] = {1.5, NAN, 2};
    nn_claim c = {.kind = NN_LECTURE,
                  .not_comparative = "a test claim",
                  .id = "c1",
                  .statement = "a beats b",
                  .source = "seed 001",
                  .quantity = "gap",
                  .op = ">=",
                  .threshold = 1.0,
                  .n = 3,
                  .seed = seeds,
                  .value = all};
    ck_assert_int_eq(nn_claim_add(doc, &c), NN_HELD);
    c.id = "c2", c.value = none;
    ck_assert_int_eq(nn_claim_add(doc, &c), NN_NOT_HELD);
    c.id = "c3", c.value = mixed; /* the seeds disagree: within noise */
    ck_assert_int_eq(nn_claim_add(doc, &c), NN_INCONCLUSIVE);
    c.id = "c4", c.value = one_nan; /* a seed gave no measurement */
    ck_assert_int_eq(nn_claim_add(doc, &c), NN_INCONCLUSIVE);
    c.id = "c5", c.value = all, c.unmeasured = "arm 'x' did not run";
    ck_assert_int_eq(nn_claim_add(doc, &c), NN_INCONCLUSIVE);
    c.id = "c6", c.unmeasured = NULL;
    nn_claim_require(&c, "the baseline leaves chance", 10.0, ">", 20);
    ck_assert_int_eq(nn_claim_add(doc, &c), NN_INCONCLUSIVE);
    /* every seed holds, but the mean 1.15 is nearer the threshold than t(2) x s.e. = 2.92 x 0.0764 */
    nn_claim c7 = c; /* c1's claim, without c6's precondition */
    c7.id = "c7", c7.value = close, c7.n_pre = 0;
    ck_assert_int_eq(nn_claim_add(doc, &c7), NN_INCONCLUSIVE);
    const cJSON *claims = cJSON_GetObjectItem(doc, "claims"), *x;
    const cJSON *c1 = cJSON_GetArrayItem(claims, 0), *c3 = cJSON_GetArrayItem(claims, 2), *c6 = cJSON_GetArrayItem(claims, 5);
    ck_assert_str_eq(cJSON_GetObjectItem(c1, "held_in")->valuestring, "3 of 3");
    ck_assert_double_eq_tol(cJSON_GetObjectItem(cJSON_GetObjectItem(c1, "effect"), "mean")->valuedouble, 3.0, 1e-8);
    /* standard error: sample sd of {2.5, 3, 3.5} over √3 */
    ck_assert_double_eq_tol(cJSON_GetObjectItem(cJSON_GetObjectItem(c1, "effect"), "se")->valuedouble, 0.288675135, 1e-8);
    ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(cJSON_GetArrayItem(claims, 6), "reason")->valuestring,
                                 "within noise: held in all 3 seeds, but the mean 1.15"));
    ck_assert_str_eq(cJSON_GetObjectItem(c3, "reason")->valuestring, "within noise: held in 2 of 3 seeds");
    ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(c6, "reason")->valuestring, "the baseline leaves chance"));
    /* every recorded claim re-judges to its own verdict */
    cJSON_ArrayForEach(x, claims)
    {
        nn_verdict w;
        ck_assert_int_eq(nn_verdict_parse(cJSON_GetObjectItem(x, "verdict")->valuestring, &w), 0);
        ck_assert_int_eq(nn_claim_rejudge(x), w);
    }
    char line[256];
    FILE *f = fmemopen(line, sizeof line, "w");
    nn_claims_print(doc, f);
    fclose(f);
    ck_assert_str_eq(line,
                     "t: lecture claims 1 held, 1 not held, 5 inconclusive (not held: c2; inconclusive: c3, c4, c5, c6, c7)\n");
    /* an identity and a setup claim are reported, never counted with the lecture's */
    nn_claim ci = {.kind = NN_IDENTITY, .id = "i1", .statement = "code is the formula", .source = "seed 000", .quantity = "ratio",
                   .op = "<", .threshold = 0.01, .n = 3, .seed = seeds, .value = none};
    ck_assert_int_eq(nn_claim_add(doc, &ci), NN_NOT_HELD);
    ci.kind = NN_SETUP, ci.id = "s1", ci.op = ">", ci.threshold = 0;
    ck_assert_int_eq(nn_claim_add(doc, &ci), NN_HELD);
    int h, nh, inc;
    nn_claims_count(doc, &h, &nh, &inc);
    ck_assert(h == 1 && nh == 1 && inc == 5);
    nn_claims_count_kind(doc, NN_IDENTITY, &h, &nh, &inc);
    ck_assert(h == 0 && nh == 1 && inc == 0);
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(claims, 7), "kind")->valuestring, "identity");
    ck_assert_int_eq(nn_claim_kind_of(cJSON_GetArrayItem(claims, 8)), NN_SETUP);
    f = fmemopen(line, sizeof line, "w");
    nn_claims_print(doc, f);
    fclose(f);
    ck_assert_str_eq(line,
                     "t: lecture claims 1 held, 1 not held, 5 inconclusive (not held: c2; inconclusive: c3, c4, c5, c6, c7); "
                     "identities 0 held, 1 not held (not held: i1); setup 1 held\n");
    cJSON_Delete(doc);
}
END_TEST

/* A control is a precondition that names the explanation it rules out: when it fails, the verdict is
 * inconclusive and its reason says which explanation stands; the recorded claim re-judges the same. */
/* a lecture claim with no control that does not say why it needs none is refused */
START_TEST(test_lecture_claim_needs_a_control)
{
    cJSON *doc = cJSON_CreateObject();
    double v = 1;
    nn_claim c = {.kind = NN_LECTURE, .id = "a-beats-b", .statement = "a beats b", .source = "seed 001", .quantity = "gap",
                  .op = ">", .threshold = 0, .n = 1, .value = &v};
    nn_claim_require(&c, "a plain precondition is not a control", 1, ">", 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(3);
        nn_claim_add(doc, &c); /* must abort */
        _exit(0);
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "a lecture claim without a control was accepted");
    c.not_comparative = "one net against a bar"; /* saying why it needs none is enough */
    ck_assert_int_eq(nn_claim_add(doc, &c), NN_HELD);
    ck_assert_str_eq(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "claims"), 0), "not_comparative")->valuestring,
        "one net against a bar");
    cJSON_Delete(doc);
}
END_TEST

START_TEST(test_controls)
{
    cJSON *doc = cJSON_CreateObject();
    uint64_t seeds[3] = {1, 2, 3};
    double gain[3] = {2.5, 3, 3.5};
    nn_claim c = {.kind = NN_LECTURE, .id = "a-beats-b", .statement = "a beats b", .source = "seed 001", .quantity = "gap",
                  .op = ">", .threshold = 0, .n = 3, .seed = seeds, .value = gain};
    nn_claim_control(&c, "a has more parameters", "parameters of a / of b", 1.0, "<=", 1.0);
    ck_assert_int_eq(nn_claim_add(doc, &c), NN_HELD);
    c.pre[0].measured = 2.0; /* a is twice as large: the control fails */
    ck_assert_int_eq(nn_claim_add(doc, &c), NN_INCONCLUSIVE);
    const cJSON *claims = cJSON_GetObjectItem(doc, "claims");
    const cJSON *ok = cJSON_GetArrayItem(claims, 0), *bad = cJSON_GetArrayItem(claims, 1);
    ck_assert_str_eq(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(ok, "preconditions"), 0), "rules_out")->valuestring,
        "a has more parameters");
    ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(bad, "reason")->valuestring,
                                 "the control for 'a has more parameters' failed, so that explanation is not ruled out"));
    ck_assert_int_eq(nn_claim_rejudge(ok), NN_HELD);
    ck_assert_int_eq(nn_claim_rejudge(bad), NN_INCONCLUSIVE);
    /* a zone: a gain below the resolution is unresolved (inconclusive), no gain at all is not held */
    double small[3] = {0.5, 0.6, 0.7}, nothing[3] = {-0.5, -0.6, -0.7}, big[3] = {3, 3.2, 3.4};
    nn_claim z = {.kind = NN_LECTURE,
                  .not_comparative = "a test claim",
                  .id = "gain",
                  .statement = "a beats b",
                  .source = "seed 001",
                  .quantity = "gap",
                  .op = ">",
                  .threshold = 2,
                  .has_zone = 1,
                  .not_held_at = 0,
                  .n = 3,
                  .seed = seeds,
                  .value = small};
    ck_assert_int_eq(nn_claim_add(doc, &z), NN_INCONCLUSIVE);
    z.value = nothing;
    ck_assert_int_eq(nn_claim_add(doc, &z), NN_NOT_HELD);
    z.value = big;
    ck_assert_int_eq(nn_claim_add(doc, &z), NN_HELD);
    const cJSON *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItem(doc, "claims"))
    {
        nn_verdict w;
        ck_assert_int_eq(nn_verdict_parse(cJSON_GetObjectItem(x, "verdict")->valuestring, &w), 0);
        ck_assert_int_eq(nn_claim_rejudge(x), w);
    }
    ck_assert_ptr_nonnull(strstr(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "claims"), 2), "reason")->valuestring, "cannot resolve"));
    cJSON_Delete(doc);
}
END_TEST

static cJSON *one_claim_doc(const char *exp, const char *id, const double *v, const uint64_t *seeds, int n)
{
    cJSON *doc = nn_results_new(exp, NULL);
    nn_claim c = {.kind = NN_LECTURE,
                  .not_comparative = "a test claim",
                  .id = id,
                  .statement = "s",
                  .source = "seed 000",
                  .quantity = "q",
                  .op = ">",
                  .threshold = 0,
                  .n = n,
                  .seed = seeds,
                  .value = v};
    nn_claim_add(doc, &c);
    return doc;
}

/* The second seed set: each claim records the other set's verdict, and is fragile when they differ;
 * overlapping seed sets and another experiment's results are refused. */
START_TEST(test_second_seed_set)
{
    const uint64_t s1[3] = {1, 2, 3}, s2[3] = {1001, 1002, 1003};
    const double pos[3] = {2, 3, 4}, neg[3] = {-2, -3, -4}, mixed[3] = {2, -1, 3};
    cJSON *a = one_claim_doc("x", "c", pos, s1, 3), *b = one_claim_doc("x", "c", pos, s2, 3);
    ck_assert_int_eq(nn_claims_merge_second(a, b), 1);
    const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(a, "claims"), 0);
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(c, "fragile")));
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(c, "second_seed_set"), "verdict")->valuestring, "held");
    int tw;
    ck_assert_int_eq(nn_claims_fragile(a, &tw), 0);
    ck_assert_int_eq(tw, 1);
    cJSON_Delete(b);
    b = one_claim_doc("x", "c", mixed, s2, 3); /* the other set disagrees: fragile, and merging again replaces */
    ck_assert_int_eq(nn_claims_merge_second(a, b), 1);
    c = cJSON_GetArrayItem(cJSON_GetObjectItem(a, "claims"), 0);
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(c, "fragile")));
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(c, "second_seed_set"), "verdict")->valuestring, "inconclusive");
    ck_assert_int_eq(nn_claims_fragile(a, NULL), 1);
    /* the recorded verdict still follows from the first set's evidence alone */
    ck_assert_int_eq(nn_claim_rejudge(c), NN_HELD);
    cJSON_Delete(b);
    b = one_claim_doc("x", "c", neg, s1, 3); /* the same seeds: refused */
    ck_assert_int_eq(nn_claims_merge_second(a, b), -1);
    ck_assert_ptr_nonnull(strstr(nn_error(), "disjoint"));
    cJSON_Delete(b);
    b = one_claim_doc("y", "c", neg, s2, 3);
    ck_assert_int_eq(nn_claims_merge_second(a, b), -1);
    cJSON_Delete(b);
    /* an exercise that reverses the verdict is recorded; one that agrees is not */
    b = one_claim_doc("x", "c", neg, s1, 3);
    cJSON *ca = cJSON_AddObjectToObject(a, "config"), *cb = cJSON_AddObjectToObject(b, "config");
    cJSON_AddNumberToObject(ca, "lr", 0.15), cJSON_AddNumberToObject(cb, "lr", 1.5);
    cJSON_AddNumberToObject(ca, "epochs", 50), cJSON_AddNumberToObject(cb, "epochs", 50);
    const char *before = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(a, "claims"), 0), "statement")->valuestring;
    char *as_run = strdup(before);
    ck_assert_int_eq(nn_claims_merge_exercise(a, b, "01-x-2"), 1);
    const cJSON *r =
        cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(a, "claims"), 0), "reverses_in"), 0);
    ck_assert_str_eq(cJSON_GetObjectItem(r, "exercise")->valuestring, "01-x-2");
    ck_assert_str_eq(cJSON_GetObjectItem(r, "verdict")->valuestring, "not held");
    /* … and its statement says so, with what the exercise changes in the config */
    ck_assert_str_eq(cJSON_GetObjectItem(r, "changes")->valuestring, "lr = 1.5");
    const char *st = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(a, "claims"), 0), "statement")->valuestring;
    ck_assert_msg(strstr(st, "the verdict reverses (not held in exercise 01-x-2, lr = 1.5)"), "statement: %s", st);
    /* merging the same exercise again replaces its entry */
    ck_assert_int_eq(nn_claims_merge_exercise(a, b, "01-x-2"), 1);
    ck_assert_int_eq(
        cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(a, "claims"), 0), "reverses_in")), 1);
    st = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(a, "claims"), 0), "statement")->valuestring;
    ck_assert_ptr_null(strstr(strstr(st, "01-x-2") + 1, "01-x-2"));
    cJSON_Delete(b);
    b = one_claim_doc("x", "c", pos, s1, 3);
    ck_assert_int_eq(nn_claims_merge_exercise(a, b, "01-x-3"), 0);
    ck_assert_int_eq(nn_claims_merge_exercise(a, NULL, NULL), 0);
    ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(a, "claims"), 0), "reverses_in"));
    /* clearing gives the statement back as the run made it */
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(a, "claims"), 0), "statement")->valuestring,
                     as_run);
    ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(a, "claims"), 0), "statement_as_run"));
    free(as_run);
    cJSON_Delete(a), cJSON_Delete(b);
}
END_TEST

/* Does `md` hold `what` outside every code span (where Markdown would pass it on as raw HTML)? */
static int outside_code(const char *md, const char *what)
{
    for (const char *p = md; *p;) {
        if (*p == '`') {
            size_t k = strspn(p, "`");
            const char *q = p + k;
            for (;;) { /* the closing run of exactly k backticks */
                q = strchr(q, '`');
                if (!q) return strstr(p + k, what) != NULL; /* unclosed: not a code span */
                size_t m = strspn(q, "`");
                if (m == k) break;
                q += m;
            }
            p = q + k;
            continue;
        }
        if (!strncmp(p, what, strlen(what))) return 1;
        p++;
    }
    return 0;
}

/* Strings from a results file reach the notes and the report as text: no raw HTML, no broken table row. */
START_TEST(test_markdown_values_are_text)
{
    cJSON *doc =
        cJSON_Parse("{\"experiment\": \"x\", \"profile\": \"a`<img src=x onerror=alert(1)>`\","
                    " \"dataset\": {\"name\": \"<script>alert(2)</script>\"},"
                    " \"environment\": {\"git_revision\": \"``<b>x</b>``\"},"
                    " \"config\": {\"seeds\": 1, \"seed\": 1, \"<img src=y>\": \"|`<img src=z>`|\"},"
                    " \"summary\": {\"tables\": [{\"caption\": \"<img src=c>\", \"columns\": [\"<img src=h>\"],"
                    " \"rows\": [[\"<img src=r>\\n| x |\"]]}]},"
                    " \"claims\": [{\"id\": \"c`<img src=i>\", \"kind\": \"lecture\","
                    " \"statement\": \"<img src=s>\\nnext line\", \"source\": \"<img src=o>\", \"quantity\": \"q\","
                    " \"op\": \">\", \"threshold\": 0, \"per_seed\": [1], \"verdict\": \"held\", \"held_in\": \"1 of 1\","
                    " \"not_comparative\": \"<img src=n>\", \"preconditions\": [{\"what\": \"<img src=w>\","
                    " \"measured\": 1, \"op\": \">\", \"threshold\": 0, \"holds\": true, \"rules_out\": \"<img src=u>\"}]}]}");
    ck_assert_ptr_nonnull(doc);
    nn_str md = {0};
    nn_report_markdown(doc, &md);
    const char *tags[] = {"<img", "<script", "<b>"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        ck_assert_msg(!outside_code(md.s, tags[i]), "'%s' reaches the Markdown as raw HTML:\n%s", tags[i], md.s);
    /* a line break in a value does not end its table row: every row line starts with '|' */
    for (const char *line = md.s; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        ck_assert_msg(strncmp(line, "next line", 9) && strncmp(line, "| x |", 5), "a value's line break split a row:\n%s", md.s);
    nn_str_free(&md);
    cJSON_Delete(doc);
}
END_TEST

/* Train on spirals with one seed and write a complete document to p. */
static void run_once(const char *p, uint64_t seed)
{
    nn_split d;
    nn_data_opts o = {.seed = seed, .synth_n = 300};
    ck_assert_int_eq(nn_data_load("spirals", &o, &d), 0);
    nn_mlp_spec s = {.n_input = 2, .n_output = 2, .n_hidden = 1, .hidden = {16}, .act = {NN_TANH},
                     .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE, .w_init = {NN_INIT_GLOROT_UNIFORM, 1},
                     .b_init = {NN_INIT_ZERO, 0}, .dropout = 0.1};
    nn_net *net = nn_mlp_build(&s, 10, seed);
    nn_optim opt = {.kind = NN_OPT_MOMENTUM, .lr = 0.05, .momentum = 0.9};
    nn_optim_init(&opt, net);
    nn_train_cfg tc = {.epochs = 5, .batch = 10, .seed = seed, .eval_train = 1};
    nn_history h;
    ck_assert_int_eq(nn_train(net, &opt, &d.train, &d.test, &tc, &h), 0);
    cJSON *doc = nn_results_new("repro", NULL);
    cJSON_AddItemToObject(doc, "dataset", nn_results_dataset(&d));
    cJSON_AddItemToObject(doc, "history", nn_results_history(&h));
    cJSON_DeleteItemFromObject(cJSON_GetObjectItem(doc, "history"), "timing");
    ck_assert_int_eq(nn_results_write(doc, p, 0.0), 0);
    cJSON_Delete(doc);
    nn_history_free(&h);
    nn_optim_free(&opt);
    nn_net_free(net);
    nn_split_free(&d);
}

START_TEST(test_same_seed_byte_identical)
{
    char a[600], b[600], c[600];
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    snprintf(c, sizeof c, "%s/c.json", dir);
    run_once(a, 4);
    run_once(b, 4);
    run_once(c, 5);
    char *ta = slurp(a), *tb = slurp(b), *tc = slurp(c);
    ck_assert_str_eq(ta, tb);
    ck_assert_str_ne(ta, tc);
    free(ta), free(tb), free(tc);
    /* results are for everyone to read, whatever the writer's temporary file was made with */
    struct stat st;
    ck_assert_int_eq(stat(a, &st), 0);
    ck_assert_msg((st.st_mode & 0777) == 0644, "results written with mode %03o, not 644", (unsigned)(st.st_mode & 0777));
}
END_TEST

/* ---- verdicts, recomputed here without the results library -------------------------------- */

static int holds(double v, const char *op, double t)
{
    if (!isfinite(v)) return 0;
    if (!strcmp(op, "<")) return v < t;
    if (!strcmp(op, "<=")) return v <= t;
    if (!strcmp(op, ">")) return v > t;
    if (!strcmp(op, ">=")) return v >= t;
    ck_abort_msg("unknown comparison '%s'", op);
    return 0;
}

START_TEST(test_compare_table)
{
    /* the library's comparison on hand-made rows, the edges included */
    const struct {
        double v;
        const char *op;
        double t;
        int want;
    } rows[] = {{1, "<", 2, 1},  {2, "<", 2, 0},  {3, "<", 2, 0},  {1, "<=", 2, 1}, {2, "<=", 2, 1}, {3, "<=", 2, 0},
                {1, ">", 2, 0},  {2, ">", 2, 0},  {3, ">", 2, 1},  {1, ">=", 2, 0}, {2, ">=", 2, 1}, {3, ">=", 2, 1},
                {-1, ">", -2, 1}, {-3, "<", -2, 1}, {NAN, ">", 0, 0}, {NAN, "<", 0, 0}, {INFINITY, ">", 0, 0}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        ck_assert_msg(nn_claim_compare(rows[i].v, rows[i].op, rows[i].t) == rows[i].want, "%g %s %g should be %d", rows[i].v,
                      rows[i].op, rows[i].t, rows[i].want);
}
END_TEST

/* A paired gain is taken seed by seed: treated − baseline of the same seed (with a baseline that differs between
 * seeds, so that a gain against the first seed's baseline would show) */
START_TEST(test_gain_is_paired_by_seed)
{
    uint64_t seeds[3] = {1, 2, 3};
    nn_exp e = {.S = 3, .seeds = seeds};
    e.data.train.n_classes = 10;
    e.doc = cJSON_CreateObject();
    cJSON_AddArrayToObject(e.doc, "claims");
    const double treated[3] = {90, 85, 80}, baseline[3] = {80, 84, 70};
    nn_claim c = {.kind = NN_LECTURE, .id = "gain", .statement = "s", .source = "test", .quantity = "q", .op = ">"};
    nn_exp_claim_gain(&e, &c, treated, baseline, "the baseline", 1000);
    const cJSON *ps = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(e.doc, "claims"), 0), "per_seed");
    ck_assert_int_eq(cJSON_GetArraySize(ps), 3);
    for (int i = 0; i < 3; i++)
        ck_assert_msg(fabs(cJSON_GetArrayItem(ps, i)->valuedouble - (treated[i] - baseline[i])) < 1e-9, "seed %d: %g, not %g",
                      i + 1, cJSON_GetArrayItem(ps, i)->valuedouble, treated[i] - baseline[i]);
    for (int i = 0; i < e.n_owned; i++) free(e.owned[i]);
    free(e.owned);
    cJSON_Delete(e.doc);
}
END_TEST

START_TEST(test_verdict_rule_cases)
{
    /* the verdict rule (nn_claim.h) on hand-made evidence, one case per branch */
    const struct {
        const char *op;
        double thr;
        int n;
        double v[4];
        int pre_ok, unmeasured;
        nn_verdict want;
    } rows[] = {
        {">", 0, 3, {1.0, 1.1, 0.9}, 1, 0, NN_HELD},          /* every seed, clear of the margin */
        {">", 0, 3, {-1.0, -1.1, -0.9}, 1, 0, NN_NOT_HELD},   /* no seed, clear of the margin */
        {">", 0, 3, {1.0, -1.0, 2.0}, 1, 0, NN_INCONCLUSIVE}, /* the seeds disagree */
        {">", 0.9, 3, {1.0, 1.2, 3.0}, 1, 0, NN_INCONCLUSIVE},/* all above, mean within 2.92 x s.e. */
        {"<=", 0.5, 2, {0.5, 0.5}, 1, 0, NN_HELD},            /* the edge belongs to <=, s.e. 0 */
        {"<", 0.5, 2, {0.5, 0.5}, 1, 0, NN_NOT_HELD},         /* and not to < */
        {">=", 2, 2, {2, 2}, 1, 0, NN_HELD},
        {">", 0, 3, {1.0, NAN, 0.9}, 1, 0, NN_INCONCLUSIVE},  /* a seed without a measurement */
        {">", 0, 3, {1.0, 1.1, 0.9}, 0, 0, NN_INCONCLUSIVE},  /* a precondition failed */
        {">", 0, 3, {1.0, 1.1, 0.9}, 1, 1, NN_INCONCLUSIVE},  /* not measured in this run */
        {"<", 3, 1, {2.0}, 1, 0, NN_HELD},                    /* one deterministic measurement */
        /* between the two margins: mean 2, s.e. 0.577, 1.5 from the threshold, inside t(2) x s.e. = 1.686 and outside
         * t(3) x s.e. = 1.358: inconclusive with n - 1 degrees of freedom, held (wrongly) with n */
        {">", 0.5, 3, {1.0, 2.0, 3.0}, 1, 0, NN_INCONCLUSIVE},
    };
    const uint64_t seeds[4] = {1, 2, 3, 4};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddArrayToObject(doc, "claims");
        nn_claim c = {.kind = NN_LECTURE,
                      .not_comparative = "a test claim",
                      .id = "case",
                      .statement = "s",
                      .source = "test",
                      .quantity = "q",
                      .op = rows[i].op,
                      .threshold = rows[i].thr,
                      .n = rows[i].n,
                      .value = rows[i].v,
                      .seed = rows[i].n > 1 ? seeds : NULL,
                      .unmeasured = rows[i].unmeasured ? "the arm did not run" : NULL};
        nn_claim_require(&c, "the baseline trains", rows[i].pre_ok ? 50 : 5, ">", 20);
        nn_verdict v = nn_claim_add(doc, &c);
        ck_assert_msg(v == rows[i].want, "case %zu: %s, expected %s", i, nn_verdict_name(v), nn_verdict_name(rows[i].want));
        ck_assert_int_eq(nn_claim_rejudge(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "claims"), 0)), v);
        cJSON_Delete(doc);
    }
}
END_TEST

/* One-sided 95 % quantiles of Student's t (a printed table), df = 1 … 10 */
static const double T95[] = {0, 6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812};

START_TEST(test_reference_verdicts_recomputed)
{
    /* every claim of the committed reference run, judged again from its evidence by this test's own
     * reading of the rule (nn_claim.h): inconclusive when unmeasured, a precondition failed, a seed gave
     * no value, the seeds disagree, or the mean lies within t95 x s.e. of the threshold; else held or not */
    char cmd[1200], list[8192];
    snprintf(cmd, sizeof cmd, "ls %s/results/*.json", NN_ROOT);
    ck_assert_int_eq(nn_test_run(cmd, list, sizeof list), 0);
    int files = 0, claims = 0, rejudged = 0;
    for (char *path = strtok(list, "\n"); path; path = strtok(NULL, "\n")) {
        char *t = slurp(path);
        cJSON *doc = cJSON_Parse(t), *c;
        free(t);
        ck_assert_msg(doc, "%s is not JSON", path);
        files++;
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "claims"))
        {
            const char *id = cJSON_GetObjectItem(c, "id")->valuestring, *op = cJSON_GetObjectItem(c, "op")->valuestring;
            double thr = cJSON_GetObjectItem(c, "threshold")->valuedouble;
            /* a claim with a zone fails a seed only below its null threshold (nn_claim.h) */
            const cJSON *zt = cJSON_GetObjectItem(c, "not_held_threshold");
            const double null_thr = cJSON_IsNumber(zt) ? zt->valuedouble : thr;
            const cJSON *ps = cJSON_GetObjectItem(c, "per_seed"), *x;
            int n = cJSON_GetArraySize(ps), held = 0, failed = 0, missing = 0, pre_failed = 0;
            double sum = 0, ss = 0;
            cJSON_ArrayForEach(x, ps)
            {
                double v = cJSON_IsNumber(x) ? x->valuedouble : NAN;
                if (!isfinite(v)) missing++;
                else held += holds(v, op, thr), failed += !holds(v, op, null_thr), sum += v;
            }
            double mean = n ? sum / n : NAN;
            cJSON_ArrayForEach(x, ps) if (cJSON_IsNumber(x)) ss += (x->valuedouble - mean) * (x->valuedouble - mean);
            cJSON_ArrayForEach(x, cJSON_GetObjectItem(c, "preconditions"))
            pre_failed |= !holds(cJSON_GetObjectItem(x, "measured")->valuedouble, cJSON_GetObjectItem(x, "op")->valuestring,
                                 cJSON_GetObjectItem(x, "threshold")->valuedouble);
            const char *want;
            if (cJSON_GetObjectItem(c, "unmeasured") || n == 0 || pre_failed || missing || (held != n && failed != n))
                want = "inconclusive";
            else {
                double se = n > 1 ? sqrt(ss / (n - 1)) / sqrt(n) : 0, edge = held == n ? thr : null_thr;
                ck_assert_msg(n - 1 <= 10, "%s: %d seeds, more than the table here", id, n);
                if (n > 1 && se > 0 && !(fabs(mean - edge) > T95[n - 1] * se)) want = "inconclusive";
                else want = held == n ? "held" : "not held";
            }
            const char *got = cJSON_GetObjectItem(c, "verdict")->valuestring;
            ck_assert_msg(!strcmp(got, want), "%s: claim %s is '%s' in the results, '%s' by the rule", path, id, got, want);
            /* and the library's rule, run again on the committed evidence, gives the recorded verdict and reason (a rule
             * changed in the code, such as its t margin, disagrees with the run that made the reference) */
            char why[800];
            const nn_verdict lib = nn_claim_rejudge_why(c, why, sizeof why);
            ck_assert_msg(!strcmp(nn_verdict_name(lib), got),
                          "%s: claim %s is '%s' in the results, '%s' by the library's rule now", path, id, got,
                          nn_verdict_name(lib));
            const char *reason = cJSON_GetStringValue(cJSON_GetObjectItem(c, "reason"));
            if (lib == NN_INCONCLUSIVE && !pre_failed)
                ck_assert_msg(reason && !strcmp(reason, why), "%s: claim %s: the recorded reason '%s' is not the rule's '%s'",
                              path, id, reason ? reason : "(none)", why);
            rejudged++;
            /* every claim declares its kind; the second seed set's verdict decides "fragile" */
            ck_assert_msg(nn_claim_kind_of(c) != NN_KIND_UNSET, "%s: claim %s declares no kind", path, id);
            /* a lecture claim carries a control, or says why it compares nothing */
            int n_ctl = 0;
            cJSON_ArrayForEach(x, cJSON_GetObjectItem(c, "preconditions")) n_ctl +=
                cJSON_IsString(cJSON_GetObjectItem(x, "rules_out"));
            ck_assert_msg(nn_claim_kind_of(c) != NN_LECTURE || cJSON_GetObjectItem(c, "unmeasured") || n_ctl ||
                              cJSON_IsString(cJSON_GetObjectItem(c, "not_comparative")),
                          "%s: lecture claim %s has no control and does not say why it needs none", path, id);
            const cJSON *two = cJSON_GetObjectItem(c, "second_seed_set");
            ck_assert_msg(cJSON_IsObject(two), "%s: claim %s has no verdict from the second seed set (make reference)", path, id);
            const cJSON *sa = cJSON_GetObjectItem(c, "seeds"), *sb = cJSON_GetObjectItem(two, "seeds"), *p1, *p2;
            cJSON_ArrayForEach(p1, sa) cJSON_ArrayForEach(p2, sb) ck_assert_msg(
                p1->valuedouble != p2->valuedouble, "%s: claim %s: the seed sets share seed %g", path, id, p1->valuedouble);
            const int differ = strcmp(got, cJSON_GetObjectItem(two, "verdict")->valuestring) != 0;
            ck_assert_msg(cJSON_IsBool(cJSON_GetObjectItem(c, "fragile")) &&
                              cJSON_IsTrue(cJSON_GetObjectItem(c, "fragile")) == differ,
                          "%s: claim %s: 'fragile' does not say whether the two seed sets' verdicts differ", path, id);
            if (!cJSON_GetObjectItem(c, "unmeasured") && n > 0) {
                char hi[32];
                snprintf(hi, sizeof hi, "%d of %d", held, n);
                ck_assert_msg(!strcmp(cJSON_GetObjectItem(c, "held_in")->valuestring, hi), "%s: claim %s: held_in %s, counted %s",
                              path, id, cJSON_GetObjectItem(c, "held_in")->valuestring, hi);
            }
            claims++;
        }
        cJSON_Delete(doc);
    }
    ck_assert_int_ge(files, 19);
    ck_assert_int_ge(claims, 100);
    ck_assert_int_eq(rejudged, claims);
}
END_TEST

START_TEST(test_json_parse_one_document)
{
    /* results, configs and coverage files hold one JSON document: anything after it is an error */
    cJSON *d = nn_json_parse("{\"a\": 1}\n  \n");
    ck_assert_ptr_nonnull(d);
    cJSON_Delete(d);
    ck_assert_ptr_null(nn_json_parse("{\"a\": 1}{\"a\": 2}"));
    ck_assert_ptr_null(nn_json_parse("{\"a\": 1}\n,\"b\": 2}"));
    ck_assert_ptr_null(nn_json_parse(""));
}
END_TEST

Suite *suite_results(void)
{
    Suite *s = suite_create("results");
    TCase *tc = tcase_create("results");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_failed_write_keeps_old_file);
    tcase_add_test(tc, test_numbers_and_claims);
    tcase_add_test(tc, test_controls);
    tcase_add_test(tc, test_markdown_values_are_text);
    tcase_add_test(tc, test_lecture_claim_needs_a_control);
    tcase_add_test(tc, test_second_seed_set);
    tcase_add_test(tc, test_same_seed_byte_identical);
    tcase_add_test(tc, test_compare_table);
    tcase_add_test(tc, test_verdict_rule_cases);
    tcase_add_test(tc, test_gain_is_paired_by_seed);
    tcase_add_test(tc, test_reference_verdicts_recomputed);
    tcase_add_test(tc, test_json_parse_one_document);
    suite_add_tcase(s, tc);
    return s;
}
