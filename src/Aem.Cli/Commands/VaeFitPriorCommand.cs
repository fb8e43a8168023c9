using System.CommandLine;
using Aem.Cli.Parsing;
using Aem.Cli.Terminal;
using Aem.Training;
using Aem.Vae;

namespace Aem.Cli.Commands;

/// <summary><c>aem vae fit-prior</c>: fits a ResMADE-MoG or an AEM to a frozen VAE's aggregate posterior; resumable.</summary>
internal static class VaeFitPriorCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("fit-prior", "Fit a prior to the VAE's aggregate posterior (paper eq. 11), the VAE frozen, with the " +
            "'vae-prior' preset: --prior resmade (the ResMADE-MoG proposal alone) or --prior aem. Latents are drawn once and cached in the run folder.");
        var vae = VaeArguments.Vae();
        var prior = new Option<string>("--prior") { Description = "resmade or aem.", Required = true };
        var mnist = VaeArguments.Mnist();
        var steps = new Option<int?>("--steps") { Description = "Optimisation steps (default: the preset's 100,000; on --resume, the new total).", HelpName = "N" };
        var time = VaeArguments.Time();
        var batch = new Option<int?>("--batch-size") { Description = "Latents per step (default: the preset's 256).", HelpName = "N" };
        var perEncoding = new Option<int>("--latents-per-image") { Description = "Latents drawn from each image's q(z|x).", DefaultValueFactory = _ => 10 };
        var binarisations = new Option<int>("--binarisations") { Description = "Fresh binarisations (and encodings) of each training image.", DefaultValueFactory = _ => 1 };
        var maxImages = new Option<int?>("--max-images") { Description = "Encode only the first N training images (default: all 50,000).", HelpName = "N" };
        var validateEvery = new Option<int>("--validate-every") { Description = "Steps between validations on latents of 2,000 validation images; 0 for none.", DefaultValueFactory = _ => 500 };
        var init = new Option<string?>("--init") { Description = "Start from this prior's weights (e.g. --prior aem from a --prior resmade run).", HelpName = "DIR" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last/ checkpoint." };
        foreach (var option in new Option[] { vae, prior, mnist, steps, time, batch, perEncoding, binarisations, maxImages, validateEvery, init, resume }) command.Add(option);
        var common = CommonOptions.AddTo(command, "Run folder (best/, last/, latents/).");
        command.SetAction(result =>
        {
            VaeArguments.ApplyRuntime(common, result);
            string kindName = result.GetValue(prior)!.ToLowerInvariant();
            var kind = kindName switch
            {
                "resmade" => LatentPriorKind.Proposal,
                "aem" => LatentPriorKind.Aem,
                _ => throw new UsageException($"--prior must be resmade or aem, not '{kindName}'."),
            };
            string run = result.GetValue(common.Out) ?? throw new UsageException("--out: name the run folder.");
            VaeArguments.CheckRunFolder(run, result.GetValue(resume), $"aem vae fit-prior --vae {result.GetValue(vae)} --prior {kindName} --out {run}");
            var options = new PriorFitOptions
            {
                Steps = result.GetValue(steps),
                MaxDuration = result.GetValue(time),
                BatchSize = result.GetValue(batch),
                SamplesPerEncoding = result.GetValue(perEncoding),
                Encodings = result.GetValue(binarisations),
                MaxImages = result.GetValue(maxImages),
                ValidateEvery = result.GetValue(validateEvery),
                InitialWeights = result.GetValue(init),
                Seed = result.GetValue(common.Seed),
            };
            var printer = new TrainingProgressPrinter(context.Out, context.Interactive, 20, options.MaxDuration);
            var status = new LinePrinter<string>(context.Out, s => s);
            TrainingResult<ValidationScore> outcome;
            try
            {
                outcome = Stoppable.Run(context, token => VaeExperiment.FitPrior(
                    result.GetValue(vae)!, result.GetValue(mnist)!, run, kind, options, result.GetValue(resume), printer, status, token));
            }
            finally
            {
                printer.Finish();
            }
            context.Out.WriteLine($"training {Stoppable.Why(outcome.Reason)} at step {outcome.State.Step:N0}; checkpoints in {Path.GetFullPath(run)} (best/, last/)");
            if (outcome.Reason is StopReason.Cancelled or StopReason.TimeLimit)
            {
                context.Out.WriteLine($"continue with: aem vae fit-prior --vae {result.GetValue(vae)} --prior {kindName} --out {run} --resume");
            }
            if (outcome.Reason != StopReason.NonFinite) return Cli.Ok;
            context.Error.WriteLine($"aem: error: {outcome.Message}");
            return Cli.Failed;
        });
        return command;
    }
}
