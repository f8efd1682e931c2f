/* nnlab.h — the whole library in one include. */
#ifndef NNLAB_H
#define NNLAB_H

#include "nn_act.h"
#include "nn_batchnorm.h"
#include "nn_arch.h"
#include "nn_claim.h"
#include "nn_cli.h"
#include "nn_common.h"
#include "nn_conv.h"
#include "nn_coverage.h"
#include "nn_data.h"
#include "nn_dense.h"
#include "nn_exp.h"
#include "nn_gradcheck.h"
#include "nn_grid.h"
#include "nn_decl.h"
#include "nn_init.h"
#include "nn_io.h"
#include "nn_loss.h"
#include "nn_net.h"
#include "nn_netcfg.h"
#include "nn_optim.h"
#include "nn_report.h"
#include "nn_results.h"
#include "nn_rng.h"
#include "nn_stats.h"
#include "nn_train.h"

#endif
