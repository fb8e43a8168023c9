using System.CommandLine;
using Aem.Cli.Parsing;
using Aem.Cli.Terminal;
using Aem.Runs;
using Aem.Training;
using Aem.Vae;

namespace Aem.Cli.Commands;

/// <summary><c>aem vae pretrain</c>: trains the paper's convolutional VAE with a Gaussian prior and the β = 0.9 bound; resumable.</summary>
internal static class VaePretrainCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("pretrain", "Pre-train the VAE (appendix B) with a standard Gaussian prior and the β-weighted bound " +
            "(paper eq. 12) on dynamically binarised MNIST. Ctrl-C or --time saves a checkpoint; --resume continues exactly.");
        var mnist = VaeArguments.Mnist();
        var steps = new Option<int?>("--steps") { Description = "Optimisation steps; the learning rate anneals to 0 over them (default 100,000; on --resume, the run's own).", HelpName = "N" };
        var time = VaeArguments.Time();
        var batch = new Option<int>("--batch-size") { Description = "Images per step.", DefaultValueFactory = _ => 100 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate, cosine-annealed to 0.", DefaultValueFactory = _ => 1e-3 };
        var beta = new Option<double>("--beta") { Description = "Weight β of the KL term (the paper: 0.9).", DefaultValueFactory = _ => 0.9 };
        var validateEvery = new Option<int>("--validate-every") { Description = "Steps between validations (ELBO on 2,000 validation images); 0 for none.", DefaultValueFactory = _ => 500 };
        var latents = new Option<int>("--latents") { Description = "Latent units (the paper: 32).", DefaultValueFactory = _ => 32 };
        var channels = new Option<int>("--channels") { Description = "Channels after the input projection, doubled at each of the three downsamplings (the paper: 16).", DefaultValueFactory = _ => 16 };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last/ checkpoint (the architecture is the run's)." };
        foreach (var option in new Option[] { mnist, steps, time, batch, lr, beta, validateEvery, latents, channels, resume }) command.Add(option);
        var common = CommonOptions.AddTo(command, "Run folder (best/, last/).");
        command.SetAction(result =>
        {
            VaeArguments.ApplyRuntime(common, result);
            string run = result.GetValue(common.Out) ?? throw new UsageException("--out: name the run folder.");
            bool isResume = result.GetValue(resume);
            VaeArguments.CheckRunFolder(run, isResume, $"aem vae pretrain --out {run}");
            int total = result.GetValue(steps)
                ?? (isResume ? VaeCheckpoint.ReadRecord(RunLayout.LastOf(run)).Training.Steps : VaeExperiment.PretrainingDefaults.Steps);
            var options = VaeExperiment.PretrainingDefaults with
            {
                Steps = total,
                MaxDuration = result.GetValue(time),
                BatchSize = result.GetValue(batch),
                LearningRate = result.GetValue(lr),
                ValidateEvery = result.GetValue(validateEvery),
                Seed = result.GetValue(common.Seed),
            };
            var objective = new VaeObjectiveOptions { Beta = result.GetValue(beta) };
            var model = new VaeOptions { Latents = result.GetValue(latents), Channels = result.GetValue(channels) };
            model.Validate();
            context.Out.WriteLine($"{(isResume ? "resuming" : "pre-training")} the VAE in {Path.GetFullPath(run)}: {total:N0} steps of {options.BatchSize}" +
                (options.MaxDuration is { } t ? $", at most {Durations.Format(t)}" : ""));
            var progress = new LinePrinter<TrainingProgress<VaeStep, VaeValidationScore>>(context.Out, p =>
                p.Train is not { } t ? null :
                $"step {p.Step:N0}/{p.TotalSteps:N0}  -L_beta {t.Loss:F2}  log p(x|z) {t.Reconstruction:F2}  KL {t.Kl:F2}  {p.StepsPerSecond:F2} steps/s" +
                (p.Validation is { } v ? $"  | validation ELBO {v.Elbo:F2} (best {p.BestScore:F2})" : ""));
            var outcome = Stoppable.Run(context, token =>
                VaeExperiment.Pretrain(result.GetValue(mnist)!, run, model, options, objective, isResume, progress, token));
            context.Out.WriteLine($"training {Stoppable.Why(outcome.Reason)} at step {outcome.State.Step:N0}" +
                (outcome.State.BestScore is { } best ? $"; best validation ELBO {best:F2} at step {outcome.State.BestStep:N0}" : ""));
            if (outcome.Reason is StopReason.Cancelled or StopReason.TimeLimit) context.Out.WriteLine($"continue with: aem vae pretrain --out {run} --resume");
            context.Out.WriteLine($"next: aem vae fit-prior --vae {run} --prior resmade --out RUN");
            if (outcome.Reason != StopReason.NonFinite) return Cli.Ok;
            context.Error.WriteLine($"aem: error: {outcome.Message}");
            return Cli.Failed;
        });
        return command;
    }
}
