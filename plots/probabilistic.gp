# probabilistic.gp — figures of results/probabilistic.json (experiment: experiments/probabilistic.c)
load 'plots/common.gp'

# 1. maximum likelihood on noisy samples of sin(πx): the fit and ± one ML standard deviation
call 'plots/figure.gp' 'ml' 800 500
SIG = real(jval('summary.figures.ml.sigma_ml'))
set title sprintf("Gaussian-noise regression, first seed: %s samples of sin(πx) + N(0, %s²), degree-%s model\nthe maximum-likelihood fit is the least-squares fit; band: ± 1/√β_ML = %.3f", \
    jval('config.n_points'), jval('config.noise'), jval('config.degree'), SIG) noenhanced
set xlabel 'x'
set ylabel 't'
set key bottom right
plot jdata('summary.figures.ml.grid summary.figures.ml.ml_fit') u 1:($2-SIG):($2+SIG) w filledcurves lc rgb C[1] title '± 1/√β_ML', \
     jdata('summary.figures.ml.grid summary.figures.ml.truth') u 1:2 w l lc rgb '#888888' dt 2 lw 2 title 'sin(πx)', \
     jdata('summary.figures.ml.grid summary.figures.ml.ml_fit') u 1:2 w l ls 1 title 'ML = least squares', \
     jdata('summary.figures.ml.x summary.figures.ml.t') u 1:2 w p pt 7 ps 0.8 lc rgb '#333333' title 'samples'

# 2. MAP against least squares on a small set
call 'plots/figure.gp' 'map' 800 500
set title sprintf("%s points, degree %s, first seed: least squares interpolates the noise, MAP (L2, λ = %s) does not", \
    jval('config.small_n'), jval('config.small_degree'), jval('config.small_lambda'))
set yrange [-2.5:2.5]
plot jdata('summary.figures.map.grid summary.figures.map.truth') u 1:2 w l lc rgb '#888888' dt 2 lw 2 title 'sin(πx)', \
     jdata('summary.figures.map.grid summary.figures.map.ls_fit') u 1:2 w l ls 2 title 'least squares (ML)', \
     jdata('summary.figures.map.grid summary.figures.map.map_fit') u 1:2 w l ls 1 title 'MAP (Gaussian prior)', \
     jdata('summary.figures.map.x summary.figures.map.t') u 1:2 w p pt 7 ps 1 lc rgb '#333333' title 'training points'
set yrange [*:*]

# 3. the PyTorch example: the summed squared error per Adam step, each seed
call 'plots/figure.gp' 'example' 800 480
set title sprintf("Seed 001's PyTorch example: Linear(1000, 100) → ReLU → Linear(100, 10) on 64 random points, Adam at %s", jval('config.example_lr'))
set xlabel 'Adam step'
set ylabel 'Σ (y − t)² over the 64 points'
set key top right
NS = int(jval('config.seeds'))
plot for [r=0:NS-1] jdata(sprintf('summary.figures.example.%d', r)) u ($0):1 w lp pt 7 ps 0.5 lc rgb C[r % 6 + 1] \
     title sprintf('seed %d', int(jval('config.seed')) + r)
