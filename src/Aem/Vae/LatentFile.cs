using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// A float32 matrix on disk, for the cached aggregate-posterior latents: a magic word, rows and columns
/// (little-endian int64), then the values row by row. Written to a temporary file and renamed.
/// </summary>
internal static class LatentFile
{
    private const long Magic = 0x31544E54414C4541;                              // "AEMLATN1" little-endian, roughly

    public static void Save(Tensor matrix, string path)
    {
        using var cpu = matrix.to(float32, CPU).contiguous();
        string temporary = path + $".tmp-{Environment.ProcessId}";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(cpu.shape[0]);
            writer.Write(cpu.shape[1]);
            writer.Write(MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The matrix in <paramref name="path"/>, or null if the file is not a complete latent file.</summary>
    public static Tensor? TryLoad(string path)
    {
        if (!File.Exists(path)) return null;
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        if (stream.Length < 24 || reader.ReadInt64() != Magic) return null;
        long rows = reader.ReadInt64(), columns = reader.ReadInt64();
        if (rows < 0 || columns < 1 || stream.Length != 24 + (rows * columns * sizeof(float))) return null;
        var values = new float[rows * columns];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return tensor(values, [rows, columns]);
    }
}
