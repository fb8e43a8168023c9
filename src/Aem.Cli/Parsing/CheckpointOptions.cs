using System.CommandLine;

namespace Aem.Cli.Parsing;

/// <summary>The <c>--checkpoint DIR</c> option shared by the commands that use a trained model.</summary>
internal static class CheckpointOptions
{
    public static Option<string> Create() => new("--checkpoint", "-c")
    {
        Description = "A run folder (its best/ checkpoint is used) or a checkpoint folder (holding run.json).",
        HelpName = "DIR",
        Required = true,
    };
}
