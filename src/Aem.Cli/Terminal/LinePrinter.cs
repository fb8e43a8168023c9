namespace Aem.Cli.Terminal;

/// <summary>Writes every report that <paramref name="format"/> turns into text as one line.</summary>
internal sealed class LinePrinter<T>(TextWriter output, Func<T, string?> format) : IProgress<T>
{
    public void Report(T value)
    {
        if (format(value) is { } line) output.WriteLine(line);
    }
}
