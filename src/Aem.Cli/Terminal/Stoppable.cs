using Aem.Training;

namespace Aem.Cli.Terminal;

/// <summary>Long work that Ctrl-C / SIGTERM stops cleanly: the first signal becomes a cancellation (checkpoint and exit).</summary>
internal static class Stoppable
{
    /// <summary>Runs <paramref name="work"/> with the stop request armed.</summary>
    public static T Run<T>(CliContext context, Func<CancellationToken, T> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        using var notice = context.Stop.Token.Register(() =>
            context.Error.WriteLine("aem: stopping after the current step and saving a checkpoint (press Ctrl-C again to quit at once)"));
        context.Stop.Armed = true;
        try
        {
            return work(context.Stop.Token);
        }
        finally
        {
            context.Stop.Armed = false;
        }
    }

    /// <summary>Why training stopped, in words.</summary>
    public static string Why(StopReason reason) => reason switch
    {
        StopReason.Completed => "completed",
        StopReason.EarlyStopped => "stopped early",
        StopReason.Cancelled => "interrupted",
        StopReason.TimeLimit => "reached the --time limit",
        StopReason.NonFinite => "stopped: the loss was not finite",
        _ => reason.ToString(),
    };
}
