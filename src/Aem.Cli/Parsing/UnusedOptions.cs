using System.CommandLine;

namespace Aem.Cli.Parsing;

/// <summary>An option given on the command line that would have no effect is an error, never silently ignored.</summary>
internal static class UnusedOptions
{
    /// <summary>Throws if <paramref name="option"/> was given but is not <paramref name="used"/>; <paramref name="why"/> completes "OPTION …".</summary>
    public static void Refuse(ParseResult result, Option option, bool used, string why)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(option);
        if (!used && result.GetResult(option) is { Implicit: false }) throw new UsageException($"{option.Name} {why}");
    }
}
