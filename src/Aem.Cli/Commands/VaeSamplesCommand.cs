using System.CommandLine;
using Aem.Cli.Parsing;
using Aem.Vae;

namespace Aem.Cli.Commands;

/// <summary><c>aem vae samples</c>: figure 6, test images beside unconditional samples of the VAE with a learned prior.</summary>
internal static class VaeSamplesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("samples", "Figure 6: test images (fixed binarisation) beside unconditional samples decoded to Bernoulli means; " +
            "latents from the AEM by resampling among proposal samples, or from the Gaussian prior without --aem. Writes a PNG.");
        var vae = VaeArguments.Vae();
        var aem = new Option<string?>("--aem") { Description = "The AEM prior (run folder or checkpoint); without it, the Gaussian prior.", HelpName = "DIR" };
        var mnist = VaeArguments.Mnist();
        var output = new Option<string>("--output") { Description = "PNG file to write.", HelpName = "FILE", DefaultValueFactory = _ => "figure6.png" };
        var count = new Option<int>("--count", "-n") { Description = "Images on each side.", DefaultValueFactory = _ => 64 };
        var proposalSamples = new Option<int>("--proposal-samples") { Description = "Proposal samples per dimension to resample among (the paper: 100).", DefaultValueFactory = _ => 100 };
        foreach (var option in new Option[] { vae, aem, mnist, output, count, proposalSamples }) command.Add(option);
        var common = CommonOptions.AddTo(command, "", withOut: false);
        command.SetAction(result =>
        {
            VaeArguments.ApplyRuntime(common, result);
            int n = result.GetValue(count);
            if (n < 1) throw new UsageException($"--count must be at least 1 (got {n}).");
            string path = result.GetValue(output)!;
            VaeExperiment.Figure(result.GetValue(vae)!, result.GetValue(aem), result.GetValue(mnist)!, path, n,
                columns: Math.Max(1, (int)Math.Ceiling(Math.Sqrt(n))), proposalSamples: result.GetValue(proposalSamples), seed: result.GetValue(common.Seed));
            context.Out.WriteLine($"wrote {Path.GetFullPath(path)}");
            return Cli.Ok;
        });
        return command;
    }
}
