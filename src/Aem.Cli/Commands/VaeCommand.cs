using System.CommandLine;

namespace Aem.Cli.Commands;

/// <summary>
/// <c>aem vae</c>: the paper's latent-variable experiment (§4.4) on MNIST, one subcommand per stage:
/// <c>pretrain</c> → <c>fit-prior</c> → <c>evaluate</c> (Table 2), and <c>samples</c> (figure 6).
/// </summary>
internal static class VaeCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("vae", "The paper's VAE experiment on MNIST (§4.4, Table 2, figure 6): " +
            "pretrain a VAE, fit a ResMADE-MoG or AEM prior to its aggregate posterior, evaluate, draw samples.");
        command.Add(VaePretrainCommand.Create(context));
        command.Add(VaeFitPriorCommand.Create(context));
        command.Add(VaeEvaluateCommand.Create(context));
        command.Add(VaeSamplesCommand.Create(context));
        return command;
    }
}
