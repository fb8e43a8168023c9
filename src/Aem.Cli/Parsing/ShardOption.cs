using System.CommandLine;
using Aem.Evaluation;

namespace Aem.Cli.Parsing;

/// <summary>The <c>--shard I/N</c> option of the commands whose work can be split over processes (<c>aem merge</c> joins the parts).</summary>
internal static class ShardOption
{
    public static Option<string?> Create(string writes) => new("--shard")
    {
        Description = "Score only part I of N (0 ≤ I < N) and write " + writes + ": chunk k of 256 points goes to part k mod N, with the importance samples " +
            "a single process would draw, so `aem merge` of all N parts gives exactly the single-process result. For Slurm arrays (--shard $SLURM_ARRAY_TASK_ID/N) " +
            "and Kubernetes Indexed Jobs (--shard $JOB_COMPLETION_INDEX/N).",
        HelpName = "I/N",
    };

    /// <summary>The shard asked for, or null for the whole job.</summary>
    public static Shard? Parse(ParseResult result, Option<string?> option)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.GetValue(option) is not { } text) return null;
        try
        {
            return Shard.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--shard: {e.Message}.");
        }
    }
}
