using System.Runtime.InteropServices;
using System.Security.Cryptography;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>The SHA-256 of a set of points as float64 values in row order: the identity of the data a job scores.</summary>
internal static class PointFingerprint
{
    private const long RowsPerPiece = 1 << 14;

    /// <summary>Lowercase hex SHA-256 of <paramref name="points"/> <c>[N, D]</c>, with N and D, read a piece at a time.</summary>
    public static string Of(Tensor points)
    {
        ArgumentNullException.ThrowIfNull(points);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes<long>(points.shape.AsSpan()));
        for (long start = 0; start < points.shape[0]; start += RowsPerPiece)
        {
            using var scope = NewDisposeScope();
            var piece = points.narrow(0, start, Math.Min(RowsPerPiece, points.shape[0] - start)).to(float64, CPU).contiguous();
            hash.AppendData(MemoryMarshal.AsBytes(piece.data<double>().ToArray().AsSpan()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
