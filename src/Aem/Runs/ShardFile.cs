using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aem.Data;
using Aem.Evaluation;

namespace Aem.Runs;

/// <summary>
/// A shard's results on disk (<c>*.aemshard</c>): one line of JSON, the <see cref="ShardHeader"/>, then the
/// per-point values as little-endian float64, row after row (one row per point, in the order the shard
/// scored them, one value per header column). Binary, so every value reads back to the bit, NaN and ±∞
/// included; the header's SHA-256 of those bytes catches a truncated or damaged file. In Python:
/// <c>f = open(path, 'rb'); header = json.loads(f.readline()); values = np.frombuffer(f.read(), '&lt;f8').reshape(-1, len(header['Columns']))</c>.
/// </summary>
public static class ShardFile
{
    /// <summary>The file extension of shard files.</summary>
    public const string Extension = ".aemshard";

    /// <summary>The column names, as in <c>aem score</c>'s CSV.</summary>
    public const string LogLikelihood = "log_likelihood";

    /// <summary>The proposal's log-likelihood column.</summary>
    public const string LogProposal = "log_proposal";

    /// <summary>The smallest effective sample size column (not with AEM-KDE).</summary>
    public const string MinEss = "min_ess";

    /// <summary>The bounded log-likelihood column (not with AEM-KDE).</summary>
    public const string BoundedLogLikelihood = "bounded_log_likelihood";

    /// <summary>AEM-KDE's log-likelihood column.</summary>
    public const string LogKde = "log_kde";

    /// <summary>The Gaussian baseline's log-likelihood column.</summary>
    public const string Gaussian = "gaussian_log_likelihood";

    // A header holds settings and AEM-KDE's search grid: kilobytes. Anything far longer is not a header.
    private const int MaxHeaderBytes = 1 << 24;

    private const int RowsPerPiece = 1 << 14;

    internal static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The name of shard <paramref name="shard"/> of the output <paramref name="stem"/>: <c>stem.shard-I-of-N.aemshard</c>.</summary>
    public static string NameFor(string stem, Shard shard)
    {
        ArgumentNullException.ThrowIfNull(shard);
        return $"{stem}.{shard.FileTag}{Extension}";
    }

    /// <summary>
    /// Writes <paramref name="result"/> to <paramref name="path"/> (a new file; write it under a temporary name and
    /// rename it into place) and returns the header as written, with columns, statistics and checksum filled in.
    /// </summary>
    public static ShardHeader Write(string path, ShardResult result)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(result);
        var columns = ColumnsOf(result.Points);
        long rows = result.Points.Scores.Count;
        var values = columns.Select(c => c.Values).ToArray();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var piece in Payload(values, rows)) hash.AppendData(piece);
        var header = result.Header with
        {
            Format = ShardHeader.FormatName,
            FormatVersion = ShardHeader.CurrentFormatVersion,
            Index = result.Points.Shard.Index,
            Count = result.Points.Shard.Count,
            TotalPoints = result.Points.TotalPoints,
            AvailablePoints = result.Points.AvailablePoints,
            Samples = result.Points.Samples,
            Normalizer = result.Points.Normalizer,
            KdeSelection = result.Points.KdeSelection,
            Columns = columns.Select(c => c.Name).ToArray(),
            Points = rows,
            Statistics = columns.ToDictionary(c => c.Name, c => SufficientStatistics.Of(c.Values), StringComparer.Ordinal),
            PayloadSha256 = Convert.ToHexStringLower(hash.GetHashAndReset()),
        };
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header, Json)));
        stream.WriteByte((byte)'\n');
        foreach (var piece in Payload(values, rows)) stream.Write(piece);
        stream.Flush(flushToDisk: true);
        return header;
    }

    /// <summary>
    /// Reads a shard file. Throws <see cref="DataFormatException"/> naming <paramref name="path"/> if it is not a
    /// shard file of this format, or its values are truncated or damaged.
    /// </summary>
    public static ShardResult Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new DataFormatException(path, "no such shard file");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        var header = ReadHeader(path, stream);
        long expected = header.Points * header.Columns.Count * sizeof(double);
        long actual = stream.Length - stream.Position;
        if (actual != expected)
        {
            throw new DataFormatException(path, $"holds {actual:N0} bytes of per-point values, but its header says {header.Points:N0} points × {header.Columns.Count} columns ({expected:N0} bytes): the file is truncated or damaged; score this shard again");
        }
        var columns = header.Columns.Select(_ => new double[header.Points]).ToArray();
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[RowsPerPiece * columns.Length * sizeof(double)];
            for (long start = 0; start < header.Points; start += RowsPerPiece)
            {
                int count = (int)Math.Min(RowsPerPiece, header.Points - start);
                var piece = buffer.AsSpan(0, count * columns.Length * sizeof(double));
                stream.ReadExactly(piece);
                hash.AppendData(piece);
                for (int r = 0; r < count; r++)
                {
                    for (int c = 0; c < columns.Length; c++)
                    {
                        columns[c][start + r] = BinaryPrimitives.ReadDoubleLittleEndian(piece.Slice(((r * columns.Length) + c) * sizeof(double), sizeof(double)));
                    }
                }
            }
            if (!string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), header.PayloadSha256, StringComparison.Ordinal))
            {
                throw new DataFormatException(path, "its per-point values do not match the SHA-256 in its header: the file is damaged; score this shard again");
            }
        }
        var names = header.Columns.ToList();
        double[]? Column(string name) => names.IndexOf(name) is var i and >= 0 ? columns[i] : null;
        var points = new ScoredPoints(
            header.Shard,
            header.TotalPoints,
            new PointScores(Column(LogLikelihood)!, Column(LogProposal)!, Column(MinEss) ?? [], Column(BoundedLogLikelihood) ?? []),
            Column(LogKde),
            Column(Gaussian))
        {
            Samples = header.Samples,
            Normalizer = header.Normalizer,
            AvailablePoints = header.AvailablePoints,
            KdeSelection = header.KdeSelection,
            Fingerprint = header.DataFingerprint,
        };
        return new ShardResult(header, points);
    }

    private static ShardHeader ReadHeader(string path, FileStream stream)
    {
        var line = new List<byte>();
        for (int b = stream.ReadByte(); b != '\n'; b = stream.ReadByte())
        {
            if (b < 0 || line.Count >= MaxHeaderBytes) throw NotAShard(path, b < 0 ? "it has no header line" : "its first line is not a shard header");
            line.Add((byte)b);
        }
        ShardHeader? header;
        try
        {
            header = JsonSerializer.Deserialize<ShardHeader>(line.ToArray(), Json);
        }
        catch (JsonException e)
        {
            throw NotAShard(path, $"its first line is not a shard header ({e.Message.Split('.')[0]})");
        }
        if (header is null || header.Format != ShardHeader.FormatName) throw NotAShard(path, "its header is not one of a shard");
        if (header.FormatVersion != ShardHeader.CurrentFormatVersion)
        {
            throw new DataFormatException(path, $"a shard file of format version {header.FormatVersion}; this aem reads version {ShardHeader.CurrentFormatVersion}: score the shards again with one version of aem");
        }
        string[] known = [LogLikelihood, LogProposal, MinEss, BoundedLogLikelihood, LogKde, Gaussian];
        if (header.Columns.FirstOrDefault(c => !known.Contains(c, StringComparer.Ordinal)) is { } unknown) throw NotAShard(path, $"its header names an unknown column '{unknown}'");
        if (!header.Columns.Contains(LogLikelihood) || !header.Columns.Contains(LogProposal)) throw NotAShard(path, "its header lacks the log-likelihood columns");
        if (header.Points < 0 || header.TotalPoints < 1 || header.Count < 1 || header.Index < 0 || header.Index >= header.Count)
        {
            throw NotAShard(path, $"its header is inconsistent (shard {header.Index}/{header.Count}, {header.Points} of {header.TotalPoints} points)");
        }
        return header;
    }

    private static DataFormatException NotAShard(string path, string why) => new(path, $"not a shard file of aem ({why})");

    /// <summary>The payload a block of rows at a time: row after row, one little-endian float64 per column.</summary>
    private static IEnumerable<byte[]> Payload(double[][] columns, long rows)
    {
        for (long start = 0; start < rows; start += RowsPerPiece)
        {
            int count = (int)Math.Min(RowsPerPiece, rows - start);
            var piece = new byte[count * columns.Length * sizeof(double)];
            for (int r = 0; r < count; r++)
            {
                for (int c = 0; c < columns.Length; c++)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(piece.AsSpan(((r * columns.Length) + c) * sizeof(double), sizeof(double)), columns[c][start + r]);
                }
            }
            yield return piece;
        }
    }

    /// <summary>The columns a shard of <paramref name="points"/> writes: AEM-KDE has no ESS; the baseline only when the run has one.</summary>
    private static List<(string Name, double[] Values)> ColumnsOf(ScoredPoints points)
    {
        var s = points.Scores;
        var columns = new List<(string, double[])> { (LogLikelihood, s.LogDensity), (LogProposal, s.LogProposal) };
        if (points.LogKde is null)
        {
            columns.Add((MinEss, s.MinEffectiveSampleSize));
            columns.Add((BoundedLogLikelihood, s.BoundedLogDensity));
        }
        else
        {
            columns.Add((LogKde, points.LogKde));
        }
        if (points.Gaussian is not null) columns.Add((Gaussian, points.Gaussian));
        foreach (var (name, values) in columns)
        {
            if (values.Length != s.Count) throw new ArgumentException($"Column {name} has {values.Length} values for {s.Count} points.", nameof(points));
        }
        return columns;
    }
}
