/* test_cli.c — settings from JSON and flags; every bad value is rejected by name. */
#include "nn_test.h"

typedef struct S {
    int seed, epochs, flag;
    double lr;
    char act[NN_STR];
    int hidden[8], n_hidden;
    char acts[8][NN_STR];
    int n_acts;
} S;

static S s;
static nn_cfg_field fields[8];
static const char *const acts[] = {"sigmoid", "tanh", "relu", NULL};

static void setup(void)
{
    memset(&s, 0, sizeof s);
    s.seed = 1, s.epochs = 5, s.lr = 0.1;
    strcpy(s.act, "sigmoid");
    s.hidden[0] = 30, s.n_hidden = 1;
    strcpy(s.acts[0], "tanh"), s.n_acts = 1;
    fields[0] = (nn_cfg_field){"seed", NN_CFG_INT, &s.seed, 0, 1e9, NULL, NULL, 0, 0, "seed"};
    fields[1] = (nn_cfg_field){"epochs", NN_CFG_INT, &s.epochs, 0, 1000, NULL, NULL, 0, 0, "epochs"};
    fields[2] = (nn_cfg_field){"lr", NN_CFG_REAL, &s.lr, 1e-9, 100, NULL, NULL, 0, 0, "rate"};
    fields[3] = (nn_cfg_field){"activation", NN_CFG_STR, s.act, 0, 0, acts, NULL, 0, 0, "act"};
    fields[4] = (nn_cfg_field){"hidden", NN_CFG_INT_LIST, s.hidden, 1, 1000, NULL, &s.n_hidden, 8, 1, "widths"};
    fields[5] = (nn_cfg_field){"acts", NN_CFG_STR_LIST, s.acts, 0, 0, acts, &s.n_acts, 8, 1, "per layer"};
    fields[6] = (nn_cfg_field){"batchnorm", NN_CFG_BOOL, &s.flag, 0, 1, NULL, NULL, 0, 0, "bn"};
    fields[7] = (nn_cfg_field){0};
}

static int apply(const char *json)
{
    cJSON *o = cJSON_Parse(json);
    ck_assert_ptr_nonnull(o);
    int rc = nn_cfg_apply_json(fields, o, "cfg.json", NULL);
    cJSON_Delete(o);
    return rc;
}

START_TEST(test_json_good)
{
    ck_assert_int_eq(apply("{\"seed\": 7, \"lr\": 0.5, \"activation\": \"relu\", \"hidden\": [100, 50],"
                           " \"acts\": \"relu\", \"batchnorm\": true}"), 0);
    ck_assert_int_eq(s.seed, 7);
    ck_assert_double_eq(s.lr, 0.5);
    ck_assert_str_eq(s.act, "relu");
    ck_assert_int_eq(s.n_hidden, 2);
    ck_assert_int_eq(s.hidden[1], 50);
    ck_assert_int_eq(s.n_acts, 1); /* a single string is a one-element list */
    ck_assert_str_eq(s.acts[0], "relu");
    ck_assert_int_eq(s.flag, 1);
}
END_TEST

START_TEST(test_json_rejections)
{
    const char *bad[][2] = {
        {"{\"sed\": 7}", "unknown key 'sed'"},
        {"{\"seed\": \"7\"}", "'seed' must be an integer"},
        {"{\"seed\": 7.5}", "'seed' must be an integer, got 7.5"},
        {"{\"epochs\": -1}", "'epochs' = -1 is out of range [0, 1000]"},
        {"{\"lr\": 0}", "'lr' = 0 is out of range"},
        {"{\"lr\": 1e308}", "'lr' = 1e+308 is out of range"},
        {"{\"activation\": \"swish\"}", "'activation' = 'swish' is not one of: sigmoid, tanh, relu"},
        {"{\"hidden\": []}", "'hidden' must have 1 to 8 elements, got 0"},
        {"{\"hidden\": [30, 0]}", "'hidden' = 0 is out of range [1, 1000]"},
        {"{\"hidden\": [30, \"x\"]}", "'hidden' must be a list of integers"},
        {"{\"batchnorm\": 1}", "'batchnorm' must be true or false"},
        {"{\"activation\": [\"relu\"]}", "'activation' must be a string, not a list"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setup();
        ck_assert_int_eq(apply(bad[i][0]), -1);
        ck_assert_msg(strstr(nn_error(), bad[i][1]) && strstr(nn_error(), "cfg.json"), "for %s: got '%s'", bad[i][0],
                      nn_error());
    }
}
END_TEST

START_TEST(test_text_values)
{
    ck_assert_int_eq(nn_cfg_set_text(fields, "hidden", "100,50,25", "flags"), 0);
    ck_assert_int_eq(s.n_hidden, 3);
    ck_assert_int_eq(s.hidden[2], 25);
    ck_assert_int_eq(nn_cfg_set_text(fields, "lr", "2.5e-3", "flags"), 0);
    ck_assert_double_eq(s.lr, 2.5e-3);
    const char *bad[][3] = {
        {"lr", "abc", "'lr' must be a number, got 'abc'"},
        {"lr", "nan", "'lr' must be a finite number"},
        {"lr", "0.1x", "got '0.1x'"},
        {"epochs", "3.5", "must be an integer"},
        {"hidden", "30,,10", "empty element"},
        {"hidden", "30,abc", "got 'abc'"},
        {"batchnorm", "yes", "must be true or false, got 'yes'"},
        {"nosuch", "1", "unknown flag -- 'nosuch'"},
        {"seed", "", "--seed needs a value"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(nn_cfg_set_text(fields, bad[i][0], bad[i][1], "flags"), -1);
        ck_assert_msg(strstr(nn_error(), bad[i][2]), "for --%s %s: got '%s'", bad[i][0], bad[i][1], nn_error());
    }
    ck_assert_int_eq(s.n_hidden, 3); /* a rejected list leaves the old value */
}
END_TEST

static int parse(const char *cfg_text, int argc, const char **argv)
{
    static char dir[512], path[600];
    nn_test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/c.json", dir);
    if (cfg_text) nn_test_write(path, cfg_text, strlen(cfg_text));
    nn_cli cli = {.prog = "prog", .default_config = path, .default_out = "results/prog.json", .fields = fields};
    int rc = nn_cli_parse(&cli, argc, (char **)argv);
    nn_cli_free(&cli);
    nn_test_rmdir(dir);
    return rc;
}

START_TEST(test_precedence_file_profile_flags)
{
    const char *cfg =
        "{\"description\": \"x\", \"seed\": 3, \"epochs\": 20, \"quick\": {\"epochs\": 2}, \"full\": {\"epochs\": 90}}";
    const char *a0[] = {"prog"};
    ck_assert_int_eq(parse(cfg, 1, a0), 0);
    ck_assert_int_eq(s.epochs, 20);
    ck_assert_int_eq(s.seed, 3);
    setup();
    const char *a1[] = {"prog", "--quick"};
    ck_assert_int_eq(parse(cfg, 2, a1), 0);
    ck_assert_int_eq(s.epochs, 2);
    setup();
    const char *a2[] = {"prog", "--quick", "--epochs", "4", "--seed=9", "--batchnorm", "--hidden", "8,8"};
    ck_assert_int_eq(parse(cfg, 8, a2), 0);
    ck_assert_int_eq(s.epochs, 4);
    ck_assert_int_eq(s.seed, 9);
    ck_assert_int_eq(s.flag, 1);
    ck_assert_int_eq(s.n_hidden, 2);
}
END_TEST

/* A user's config goes over the defaults *and* the default profile: with --quick, the keys it sets keep its
 * values, the keys it leaves alone take the default profile's, and its own profile comes last. */
START_TEST(test_user_config_over_default_profile)
{
    char dir[512], base[600], user[600], user2[600];
    nn_test_tmpdir(dir, sizeof dir);
    snprintf(base, sizeof base, "%s/base.json", dir);
    snprintf(user, sizeof user, "%s/user.json", dir);
    snprintf(user2, sizeof user2, "%s/user2.json", dir);
    const char *b = "{\"seed\": 3, \"epochs\": 20, \"quick\": {\"epochs\": 2, \"seed\": 5}}";
    const char *u = "{\"epochs\": 7}", *u2 = "{\"epochs\": 7, \"quick\": {\"epochs\": 8}}";
    nn_test_write(base, b, strlen(b));
    nn_test_write(user, u, strlen(u));
    nn_test_write(user2, u2, strlen(u2));
    const char *args[] = {"prog", "--quick", "--config", user};
    nn_cli cli = {.prog = "prog", .default_config = base, .default_out = "results/prog.json", .fields = fields};
    ck_assert_int_eq(nn_cli_parse(&cli, 4, (char **)args), 0);
    ck_assert_int_eq(s.epochs, 7); /* the user's own value, not the default profile's 2 */
    ck_assert_int_eq(s.seed, 5);   /* the default profile where the user is silent */
    nn_cli_free(&cli);
    setup();
    const char *args2[] = {"prog", "--quick", "--config", user2};
    nn_cli cli2 = {.prog = "prog", .default_config = base, .default_out = "results/prog.json", .fields = fields};
    ck_assert_int_eq(nn_cli_parse(&cli2, 4, (char **)args2), 0);
    ck_assert_int_eq(s.epochs, 8); /* the user's profile last */
    nn_cli_free(&cli2);
    /* a full copy of the defaults without a quick block: nothing of the quick profile would apply */
    setup();
    const char *full = "{\"seed\": 3, \"epochs\": 20}";
    nn_test_write(user, full, strlen(full));
    nn_cli cli3 = {.prog = "prog", .default_config = base, .default_out = "results/prog.json", .fields = fields};
    ck_assert_int_eq(nn_cli_parse(&cli3, 4, (char **)args), -1);
    ck_assert_ptr_nonnull(strstr(nn_error(), "has no \"quick\" block and sets every key of the quick profile"));
    nn_test_rmdir(dir);
}
END_TEST

START_TEST(test_cli_rejections)
{
    struct {
        const char *cfg;
        int argc;
        const char *argv[4];
        const char *needle;
    } cases[] = {
        {NULL, 3, {"prog", "--bogus", "1"}, "unknown flag -- 'bogus'"},
        {NULL, 2, {"prog", "--epochs"}, "flag --epochs needs a value"},
        {NULL, 3, {"prog", "--epochs", "ten"}, "'epochs' must be an integer, got 'ten'"},
        {NULL, 2, {"prog", "stray"}, "unexpected argument 'stray'"},
        {NULL, 3, {"prog", "--quick", "--full"}, "exclude each other"},
        {NULL, 3, {"prog", "--threads", "0"}, "--threads must be an integer from 1 to 256"},
        {NULL, 2, {"prog", "--help=1"}, "--help takes no value"},
        {"{\"seed\": 1,}", 1, {"prog"}, "is not valid JSON"},
        {"{\"seed\": 1},\n \"epochs\": 3}", 1, {"prog"}, "has something after its JSON object (line 1)"},
        {"{\"seed\": 1}\n{\"epochs\": 3}", 1, {"prog"}, "has something after its JSON object (line 2)"},
        {"[1, 2]", 1, {"prog"}, "must be a JSON object of settings"},
        {"{\"quick\": 3}", 2, {"prog", "--quick"}, "'quick' must be an object"},
        {"{\"epochs\": 1e9}", 1, {"prog"}, "'epochs' = 1000000000 is out of range"},
        {NULL, 3, {"prog", "--config", "/nonexistent/c.json"}, "cannot open '/nonexistent/c.json'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setup();
        ck_assert_int_eq(parse(cases[i].cfg, cases[i].argc, cases[i].argv), -1);
        ck_assert_msg(strstr(nn_error(), cases[i].needle), "case %zu: got '%s'", i, nn_error());
    }
}
END_TEST

START_TEST(test_resolved_config_json)
{
    cJSON *o = nn_cfg_to_json(fields);
    char *t = cJSON_PrintUnformatted(o);
    ck_assert_str_eq(t, "{\"seed\":1,\"epochs\":5,\"lr\":0.1,\"activation\":\"sigmoid\",\"hidden\":[30],"
                        "\"acts\":[\"tanh\"],\"batchnorm\":false}");
    cJSON_free(t);
    cJSON_Delete(o);
}
END_TEST

START_TEST(test_netcfg_spec_errors)
{
    nn_netcfg c;
    nn_netcfg_defaults(&c);
    nn_mlp_spec spec;
    ck_assert_int_eq(nn_netcfg_spec(&c, 784, 10, &spec), 0);
    ck_assert_int_eq(spec.act[0], NN_SIGMOID);
    snprintf(c.output, NN_STR, "linear");
    ck_assert_int_eq(nn_netcfg_spec(&c, 784, 10, &spec), -1);
    ck_assert_ptr_nonnull(strstr(nn_error(), "'loss' softmax_ce needs 'output' softmax"));
    nn_netcfg_defaults(&c);
    c.n_hidden = 3, c.n_activation = 2;
    ck_assert_int_eq(nn_netcfg_spec(&c, 784, 10, &spec), -1);
    ck_assert_ptr_nonnull(strstr(nn_error(), "lists 2 names for 3 hidden layers"));
    nn_netcfg_defaults(&c);
    snprintf(c.activation[0], NN_STR, "softmax");
    ck_assert_int_eq(nn_netcfg_spec(&c, 784, 10, &spec), -1);
}
END_TEST

START_TEST(test_netcfg_optim_plumbing)
{
    /* every optimizer setting, set as a user would (flag text), arrives in the optimizer */
    nn_netcfg c;
    nn_netcfg_defaults(&c);
    nn_cfg_field f[64];
    int n = nn_netcfg_fields(&c, f);
    f[n] = (nn_cfg_field){0};
    const char *kv[][2] = {{"optimizer", "nesterov"}, {"lr", "0.3"}, {"momentum", "0.8"}, {"l2", "5"}, {"clip_norm", "2"},
                           {"clip_value", "0.5"}, {"lr_schedule", "step"}, {"lr_step", "3"}, {"lr_gamma", "0.25"}};
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) ck_assert_int_eq(nn_cfg_set_text(f, kv[i][0], kv[i][1], "test"), 0);
    nn_optim o;
    ck_assert_int_eq(nn_netcfg_optim(&c, &o), 0);
    ck_assert_int_eq(o.kind, NN_OPT_NESTEROV);
    ck_assert(o.lr == 0.3 && o.momentum == 0.8 && o.l2 == 5 && o.clip_norm == 2 && o.clip_value == 0.5);
    ck_assert(o.sched == NN_SCHED_STEP && o.step_epochs == 3 && o.gamma == 0.25);
    /* plain SGD has no momentum, whatever the momentum setting says */
    ck_assert_int_eq(nn_cfg_set_text(f, "optimizer", "sgd", "test"), 0);
    ck_assert_int_eq(nn_netcfg_optim(&c, &o), 0);
    ck_assert(o.kind == NN_OPT_SGD && o.momentum == 0 && o.l2 == 5);
}
END_TEST

Suite *suite_cli(void)
{
    Suite *suite = suite_create("cli");
    TCase *tc = tcase_create("settings");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_json_good);
    tcase_add_test(tc, test_netcfg_optim_plumbing);
    tcase_add_test(tc, test_json_rejections);
    tcase_add_test(tc, test_text_values);
    tcase_add_test(tc, test_precedence_file_profile_flags);
    tcase_add_test(tc, test_cli_rejections);
    tcase_add_test(tc, test_user_config_over_default_profile);
    tcase_add_test(tc, test_resolved_config_json);
    tcase_add_test(tc, test_netcfg_spec_errors);
    suite_add_tcase(suite, tc);
    return suite;
}
