namespace Aem.Runs;

/// <summary>How a run came about, for the record: the tool, the command line, the machine's settings.</summary>
public sealed record RunProvenance
{
    /// <summary>The program and its version, e.g. "aem 1.0.0".</summary>
    public string? Tool { get; init; }

    /// <summary>The command line as given, if the run was started from one.</summary>
    public IReadOnlyList<string> CommandLine { get; init; } = [];

    /// <summary>Torch compute threads.</summary>
    public int Threads { get; init; }

    /// <summary>The compute device ("cpu", "cuda:0").</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The wall-time budget the run was started with (the whole command's), if any; the state's training seconds say what was used.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
