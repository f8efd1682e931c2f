/* nntrain — train one multilayer perceptron on one data set and write its results.
 *
 * The general-purpose driver of the library: every network and training setting is a
 * config key (see --help), so it is where to try a setting before an experiment
 * program exists for it. Writes one results document (default runs/nntrain.json):
 * the resolved config, the data set, the environment, the per-epoch series of each
 * seed's run and a summary. Example:
 *   bin/nntrain --data spirals --hidden 32,32 --activation tanh --epochs 200 --lr 0.3
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    char data[NN_STR];
    int seed, seeds, n_train, synth_n;
    nn_netcfg net;
} settings;

static const char *const data_names[] = {"mnist", "fashion", "spirals", "blobs", NULL};

int main(int argc, char **argv)
{
    double t0 = nn_wall_seconds();
    settings s = {.seed = 1, .seeds = 1, .synth_n = 1000};
    snprintf(s.data, NN_STR, "spirals");
    nn_netcfg_defaults(&s.net);

    nn_cfg_field fields[64];
    int nf = 0;
    fields[nf++] = (nn_cfg_field){"data", NN_CFG_STR, s.data, 0, 0, data_names, NULL, 0, 0, "data set"};
    fields[nf++] = (nn_cfg_field){"seed", NN_CFG_INT, &s.seed, 0, 2147483647, NULL, NULL, 0, 0, "first seed"};
    fields[nf++] = (nn_cfg_field){"seeds", NN_CFG_INT, &s.seeds, 1, 100, NULL, NULL, 0, 0, "runs, with seeds seed, seed+1, …"};
    fields[nf++] = (nn_cfg_field){"n_train", NN_CFG_INT, &s.n_train, 0, 100000000, NULL, NULL, 0, 0,
                                  "keep the first N training samples (0 = all)"};
    fields[nf++] = (nn_cfg_field){"synth_n", NN_CFG_INT, &s.synth_n, 10, 10000000, NULL, NULL, 0, 0,
                                  "training samples of a generated data set"};
    nf += nn_netcfg_fields(&s.net, fields + nf);
    fields[nf] = (nn_cfg_field){0};

    nn_cli cli = {.prog = "nntrain",
                  .summary = "Train a multilayer perceptron on a data set and write its per-epoch results.",
                  .default_config = NULL,
                  .default_out = "runs/nntrain.json",
                  .fields = fields};
    int rc = nn_cli_parse(&cli, argc, argv);
    /* nntrain has no arms: nothing the parser keeps is needed after the parse but the output path */
    static char *out_path;
    out_path = cli.out, cli.out = NULL;
    nn_cli_free(&cli);
    cli.out = out_path;
    if (rc == 1) return 0;
    if (rc < 0) {
        fprintf(stderr, "%s\n", nn_error());
        return 2;
    }

    nn_split data;
    nn_data_opts dopts = {.n_train = s.n_train, .seed = (uint64_t)s.seed, .synth_n = s.synth_n, .bytes = 1};
    if (nn_data_load(s.data, &dopts, &data) != 0) {
        fprintf(stderr, "nntrain: %s\n", nn_error());
        return 1;
    }
    nn_mlp_spec spec;
    nn_optim opt;
    if (nn_netcfg_spec(&s.net, data.train.d,
                       data.train.n_classes == 2 && !strcmp(s.net.output, "sigmoid") ? 1 : data.train.n_classes, &spec) != 0 ||
        nn_netcfg_optim(&s.net, &opt) != 0) {
        fprintf(stderr, "nntrain: %s\n", nn_error());
        nn_split_free(&data);
        return 2;
    }

    cJSON *doc = nn_results_new("nntrain", "One MLP trained on one data set (the library's general driver).");
    cJSON_AddItemToObject(doc, "config", nn_cfg_to_json(fields));
    cJSON_AddStringToObject(doc, "profile", cli.profile);
    cJSON_AddItemToObject(doc, "dataset", nn_results_dataset(&data));
    cJSON_AddItemToObject(doc, "environment", nn_results_environment());
    cJSON *runs = cJSON_AddArrayToObject(doc, "runs");
    double acc_sum = 0;
    int finished = 0, diverged = 0;
    for (int r = 0; r < s.seeds; r++) {
        uint64_t seed = (uint64_t)s.seed + (uint64_t)r;
        nn_net *net = nn_mlp_build(&spec, s.net.batch, seed);
        if (!net) {
            fprintf(stderr, "nntrain: %s\n", nn_error());
            cJSON_Delete(doc);
            nn_split_free(&data);
            return 2;
        }
        nn_optim_init(&opt, net);
        char label[64];
        snprintf(label, sizeof label, "nntrain seed %llu", (unsigned long long)seed);
        nn_train_cfg tc = {.epochs = s.net.epochs, .batch = s.net.batch, .seed = seed, .eval_train = 1,
                           .eval_train_max = 10000, .label = label, .progress = 1};
        nn_history h;
        if (nn_train(net, &opt, &data.train, &data.test, &tc, &h) != 0) {
            fprintf(stderr, "nntrain: %s\n", nn_error());
            nn_net_free(net);
            nn_optim_free(&opt);
            cJSON_Delete(doc);
            nn_split_free(&data);
            return 2;
        }
        cJSON *run = cJSON_CreateObject();
        cJSON_AddStringToObject(run, "label", label);
        cJSON_AddNumberToObject(run, "seed", (double)seed);
        cJSON_AddItemToObject(run, "history", nn_results_history(&h));
        cJSON_AddItemToArray(runs, run);
        if (h.diverged) {
            diverged++;
            fprintf(stderr, "nntrain: seed %llu diverged: %s became NaN/Inf at epoch %d, step %ld\n",
                    (unsigned long long)seed, h.div_what, h.div_epoch, h.div_step);
        } else if (h.n_epochs > 0) {
            acc_sum += h.ep[h.n_epochs - 1].test_acc;
            finished++;
        }
        nn_history_free(&h);
        nn_optim_free(&opt);
        nn_net_free(net);
    }
    cJSON *sum = cJSON_AddObjectToObject(doc, "summary");
    cJSON_AddItemToObject(sum, "final_test_acc_mean", nn_json_num(finished ? acc_sum / finished : NAN));
    cJSON_AddNumberToObject(sum, "runs_diverged", diverged);
    int wrc = nn_results_write(doc, cli.out, nn_wall_seconds() - t0);
    if (wrc != 0) fprintf(stderr, "nntrain: %s\n", nn_error());
    else
        printf("nntrain: %s, %d run%s, final test accuracy %.2f%% (mean), %d diverged -> %s\n", data.name, s.seeds,
               s.seeds == 1 ? "" : "s", finished ? 100 * acc_sum / finished : NAN, diverged, cli.out);
    cJSON_Delete(doc);
    nn_split_free(&data);
    return wrc == 0 ? (diverged ? 3 : 0) : 1;
}
