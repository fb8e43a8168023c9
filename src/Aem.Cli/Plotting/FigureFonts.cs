namespace Aem.Cli.Plotting;

/// <summary>
/// Gives the plots a font. The headless SkiaSharp build has no fontconfig and finds no system font
/// by itself, so text would silently vanish: a regular and a bold TrueType file are looked up in the
/// usual font folders (DejaVu Sans first; Debian's fonts-dejavu-core) or taken from AEM_FONT.
/// </summary>
internal static class FigureFonts
{
    public const string Family = "AemFigureFont";
    public const string EnvironmentVariable = "AEM_FONT";

    private static readonly object Gate = new();
    private static string? registered;

    private static readonly (string Regular, string Bold)[] Preferred =
    [
        ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
        ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
        ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
        ("FreeSans.ttf", "FreeSansBold.ttf"),
        ("Arial.ttf", "Arial Bold.ttf"),
        ("arial.ttf", "arialbd.ttf"),
    ];

    /// <summary>The regular font file in use (after <see cref="Ensure"/>).</summary>
    public static string RegularFile => registered ?? Ensure();

    /// <summary>Registers the font with ScottPlot once; throws a clear error if no usable font exists.</summary>
    public static string Ensure()
    {
        lock (Gate)
        {
            if (registered is not null) return registered;
            var (regular, bold) = Find() ?? throw new UsageException(
                $"no TrueType font found for figure text; install one (Debian/Ubuntu: apt-get install fonts-dejavu-core) or set {EnvironmentVariable}=/path/to/font.ttf.");
            ScottPlot.Fonts.AddFontFile(Family, regular, bold: false, italic: false);
            ScottPlot.Fonts.AddFontFile(Family, bold, bold: true, italic: false);
            ScottPlot.Fonts.Default = Family;
            registered = regular;
            return regular;
        }
    }

    private static (string Regular, string Bold)? Find()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } chosen)
        {
            if (!File.Exists(chosen)) throw new UsageException($"{chosen}: font file not found ({EnvironmentVariable}).");
            return (chosen, chosen);
        }
        var files = FontFolders()
            .Where(Directory.Exists)
            .SelectMany(folder => SafeEnumerate(folder))
            .GroupBy(Path.GetFileName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key!, g => g.First(), StringComparer.Ordinal);
        foreach (var (regular, bold) in Preferred)
        {
            if (files.TryGetValue(regular, out var r)) return (r, files.TryGetValue(bold, out var b) ? b : r);
        }
        // Any TrueType font beats no text at all.
        var any = files.Values.FirstOrDefault(f => f.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase));
        return any is null ? null : (any, any);
    }

    private static IEnumerable<string> FontFolders()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        yield return "/usr/share/fonts";
        yield return "/usr/local/share/fonts";
        yield return Path.Combine(home, ".local/share/fonts");
        yield return Path.Combine(home, ".fonts");
        yield return "/Library/Fonts";
        yield return "/System/Library/Fonts";
        yield return Environment.GetFolderPath(Environment.SpecialFolder.Fonts);
    }

    private static List<string> SafeEnumerate(string folder)
    {
        try
        {
            return Directory.EnumerateFiles(folder, "*.ttf", SearchOption.AllDirectories).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
