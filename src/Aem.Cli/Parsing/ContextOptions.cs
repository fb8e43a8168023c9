using System.CommandLine;

namespace Aem.Cli.Parsing;

/// <summary>
/// Where the context c of a conditional density p(x | c) comes from: columns of the data file, or a
/// second file with one context row for each data row.
/// </summary>
internal sealed class ContextOptions
{
    public Option<string?> Columns { get; } = new("--context-columns")
    {
        Description = "Columns of the data file that are the context c of a conditional density p(x | c): 0-based indices or header names, comma-separated (e.g. 0,3 or temp,load). The other columns are x.",
        HelpName = "LIST",
    };

    public Option<string?> File { get; } = new("--context-file")
    {
        Description = "A file of context rows for a conditional density p(x | c), one for each row of the data file, in the same order.",
        HelpName = "FILE",
    };

    public static ContextOptions AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = new ContextOptions();
        command.Add(options.Columns);
        command.Add(options.File);
        return options;
    }

    /// <summary>The two options, for lists of options that a command checks together.</summary>
    public IEnumerable<Option> All => [Columns, File];

    /// <summary>True if either option was given.</summary>
    public bool Given(ParseResult result) => GivenColumns(result) is not null || result.GetValue(File) is not null;

    /// <summary>The context columns as given (indices or names), or null; refuses both options at once.</summary>
    public IReadOnlyList<string>? GivenColumns(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.GetValue(Columns) is not { } text) return null;
        if (result.GetValue(File) is not null) throw new UsageException("give the context once: --context-columns or --context-file, not both.");
        var names = text.Split(',', StringSplitOptions.TrimEntries);
        if (names.Length == 0 || names.Any(n => n.Length == 0)) throw new UsageException($"--context-columns: '{text}' is not a comma-separated list of column indices or names.");
        return names;
    }
}
