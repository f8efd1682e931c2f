# critiques.gp — figures of results/critiques.json (experiment: experiments/critiques.c)
load 'plots/common.gp'
SEEDS = jval('config.seeds')
set style fill solid 0.6 noborder
set boxwidth 0.6

# 1. van Laarhoven: the same ηλ, different η — the weight norm adapts, the effective rate does not follow η
call 'plots/figure.gp' 'laarhoven' 1100 460
set multiplot layout 1,2 title sprintf("%s x %s ReLU + batch norm, SGD with L2 at (η·k, λ/k), ηλ = %g, %s epochs (mean over %s seeds)", \
    jval('config.depth'), jval('config.width'), real(jval('config.lr')) * real(jval('config.l2')), jval('config.ab_epochs'), SEEDS)
set logscale xy
set xlabel 'learning rate η'
set key top left
set title 'effective learning rate η/‖W‖² of the hidden layers'
set ylabel 'η / ‖W‖²'
F0 = real(word(jlist('summary.effective_rate.lr'), 1))
E0 = real(word(jlist('summary.effective_rate.mean'), 1))
plot jdata('summary.effective_rate.lr summary.effective_rate.mean summary.effective_rate.std') u 1:2:3 w yerrorlines ls 1 pt 7 title 'measured', \
     jdata('summary.effective_rate.lr summary.effective_rate.mean') u 1:(E0 * $1 / F0) w l ls 2 dt 2 title 'if ‖W‖ did not adapt (∝ η)'
set title 'weight norm ‖W‖ of the hidden layers (mean)'
set ylabel '‖W‖'
plot jdata('summary.effective_rate.lr summary.effective_rate.weight_norm') u 1:2 w lp ls 1 pt 7 title 'measured', \
     jdata('summary.effective_rate.lr summary.effective_rate.weight_norm') u 1:(real(word(jlist('summary.effective_rate.weight_norm'), 1)) * ($1 / F0)**0.5) w l ls 3 dt 2 title 'equilibrium ‖W‖ ∝ (η/λ)^(1/4) = √η here'
unset multiplot
unset logscale xy

# 2. Santurkar et al.: no BN, BN, noisy BN
call 'plots/figure.gp' 'santurkar' 1100 700
set multiplot layout 2,2 title sprintf("%s x %s ReLU, η = %s, %s epochs: no batch norm, batch norm, noisy batch norm (mean over %s seeds)", \
    jval('config.depth'), jval('config.width'), jval('config.lr'), jval('config.epochs'), SEEDS)
unset xlabel
set xtics () noenhanced
do for [i=1:3] { set xtics add (system(sprintf("%s --value %s 'summary.santurkar.name.%d'", JQ, INQ, i - 1)) i - 1) }
set xrange [-0.6:2.6]
unset key
set yrange [0:*]
set title 'final accuracy (%): training (left), test (right)'
unset ylabel
set boxwidth 0.38
plot jdata('summary.santurkar.index summary.santurkar.train_acc summary.santurkar.test_acc') u ($1 - 0.2):2 w boxes lc rgb C[1], \
     '' u ($1 + 0.2):3 w boxes lc rgb C[5]
set boxwidth
set title "step-to-step change of each input unit of the last hidden layer\n(its batch mean and std; internal covariate shift)"
plot jdata('summary.santurkar.index summary.santurkar.input_drift') u 1:2 w boxes lc rgb C[2]
set title sprintf('loss range along the gradient (steps %s … %s)', word(jlist('config.probe_steps'), 1), word(jlist('config.probe_steps'), words(jlist('config.probe_steps'))))
plot jdata('summary.santurkar.index summary.santurkar.loss_range') u 1:2 w boxes lc rgb C[3]
set title 'relative change of the gradient after the largest step'
plot jdata('summary.santurkar.index summary.santurkar.gradient_change') u 1:2 w boxes lc rgb C[4]
unset multiplot
set xrange [*:*]

# 3. Brock et al.: a deep ReLU net at a high rate
call 'plots/figure.gp' 'brock' 800 480
set title sprintf("%s x %s ReLU (He init) at η = %s, %s epochs: plain, batch norm, adaptive gradient clipping (λ = %s)\nfinal test accuracy, mean ± std over the seeds whose run did not diverge (of %s)", \
    jval('config.deep_depth'), jval('config.width'), jval('config.deep_lr'), jval('config.deep_epochs'), jval('config.agc'), SEEDS)
set xtics () noenhanced
do for [i=1:3] { set xtics add (system(sprintf("%s --value %s 'summary.brock.name.%d'", JQ, INQ, i - 1)) i - 1) }
set xrange [-0.6:2.6]
set yrange [0:100]
set ylabel 'test accuracy (%)'
plot jdata('summary.brock.index summary.brock.test_acc summary.brock.test_acc_std') u 1:2 w boxes lc rgb C[1], \
     '' u 1:2:3 w yerrorbars lc rgb '#333333' pt -1
