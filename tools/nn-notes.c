/* nn-notes — regenerate the results blocks of the lecture notes.
 *
 *   nn-notes [--check] [--results DIR] [--coverage FILE] NOTE.md ...
 *
 * Rewrites each note's <!-- nnlab:results NAME begin --> … <!-- nnlab:results NAME end -->
 * block from DIR/NAME.json (default results/), atomically, leaving the rest of the note
 * as it is. With --check nothing is written: the exit status is 1 when any block differs
 * from what the results say (a stale note), 0 when all are current. `make lectures` runs it.
 * A note's <!-- nnlab:coverage begin --> … end block (lectures/README.md) is the coverage index
 * (FILE, default lectures/coverage.json) with the verdicts of DIR's results; the index must name
 * every claim of DIR's results and only claims that exist there.
 */
#include <string.h>

#include "nnlab.h"

static int print_exercise(const char *id, const char *cmd, void *user)
{
    (void)user;
    printf("%s\t%s\n", id, cmd);
    return 0;
}

int main(int argc, char **argv)
{
    int check = 0, first = 1, stale = 0, rc = 0, list = 0;
    const char *dir = "results", *coverage = "lectures/coverage.json";
    for (; first < argc && !strncmp(argv[first], "--", 2); first++) {
        if (!strcmp(argv[first], "--check")) check = 1;
        else if (!strcmp(argv[first], "--exercises")) list = 1;
        else if (!strcmp(argv[first], "--results") && first + 1 < argc) dir = argv[++first];
        else if (!strcmp(argv[first], "--coverage") && first + 1 < argc) coverage = argv[++first];
        else if (!strcmp(argv[first], "--help")) {
            printf("usage: nn-notes [--check | --exercises] [--results DIR] [--coverage FILE] NOTE.md ...\n"
                   "Regenerate (or with --check, verify) the results blocks of lecture notes from DIR/NAME.json,\n"
                   "and their exercises' answer blocks from DIR/exercises/ID.json. With --exercises, print\n"
                   "each exercise's id and command (ID<tab>bin/NAME FLAGS), one per line. A coverage block\n"
                   "(<!-- nnlab:coverage begin -->) shows FILE (default lectures/coverage.json), the index of the\n"
                   "lectures' testable items, with DIR's verdicts; it fails when the index and DIR's claims disagree.\n");
            return 0;
        } else {
            fprintf(stderr, "nn-notes: unknown flag '%s' (see --help)\n", argv[first]);
            return 2;
        }
    }
    if (first >= argc) {
        fprintf(stderr, "usage: nn-notes [--check] [--results DIR] NOTE.md ...\n");
        return 2;
    }
    for (int i = first; i < argc; i++) {
        char *text;
        if (nn_read_file(argv[i], 1u << 24, &text, NULL) != 0) {
            fprintf(stderr, "nn-notes: %s\n", nn_error());
            rc = 1;
            continue;
        }
        if (list) {
            if (nn_report_exercises(text, print_exercise, NULL) != 0)
                fprintf(stderr, "nn-notes: %s: %s\n", argv[i], nn_error()), rc = 1;
            free(text);
            continue;
        }
        nn_str mid = {0}, mid2 = {0}, out = {0};
        int changed = 0, changed2 = 0, changed3 = 0;
        if (nn_report_update_note(text, dir, &mid, &changed) != 0 ||
            nn_report_update_answers(mid.s, dir, &mid2, &changed2) != 0 ||
            nn_report_update_coverage(mid2.s, coverage, dir, &out, &changed3) != 0) {
            fprintf(stderr, "nn-notes: %s: %s\n", argv[i], nn_error());
            rc = 1;
        } else if ((changed |= changed2 | changed3) && check) {
            fprintf(stderr, "nn-notes: %s is out of date with its results (run `make lectures`)\n", argv[i]);
            stale = 1;
        } else if (changed) {
            if (nn_write_file_atomic(argv[i], out.s, out.len) != 0) {
                fprintf(stderr, "nn-notes: %s\n", nn_error());
                rc = 1;
            } else {
                printf("nn-notes: updated %s\n", argv[i]);
            }
        }
        nn_str_free(&out), nn_str_free(&mid), nn_str_free(&mid2);
        free(text);
    }
    return rc ? rc : stale;
}
