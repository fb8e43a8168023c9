using System.Globalization;

namespace Aem.Runtime;

/// <summary>"1 row", "2 rows", "1,000 rows": counts in messages, which users read for any count including 1.</summary>
internal static class Plural
{
    /// <summary><paramref name="count"/> with thousands separators and <paramref name="noun"/>, with an "s" unless it is 1.</summary>
    public static string Of(long count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {noun}{(count == 1 ? "" : "s")}");
}
