using System.Text;
using Aem.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Data;

public class NpyFileTests
{
    /// <summary>An .npy file as NumPy lays it out, with any version, header text and data bytes.</summary>
    internal static byte[] NpyBytes(byte major, string header, byte[] data)
    {
        var text = Encoding.UTF8.GetBytes(header);
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 };
        bytes.AddRange(major == 1 ? BitConverter.GetBytes((ushort)text.Length) : BitConverter.GetBytes((uint)text.Length));
        bytes.AddRange(text);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    internal static byte[] Doubles(params double[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public void WriteThenRead_RoundTripsFloat32AndFloat64()
    {
        using var folder = new TempFolder();
        using var f32 = tensor(new float[] { 1.5f, -2.25f, 3e-8f, 4e30f, 0f, -1f }, [3, 2]);
        using var f64 = tensor(new double[] { Math.PI, -Math.E, 1e-300, 1e300 }, [2, 2], float64);
        string p32 = folder.File("a.npy"), p64 = folder.File("b.npy");
        NpyFile.Write(p32, f32);
        NpyFile.Write(p64, f64);

        var t32 = NpyFile.Read(p32);
        Assert.Equal((3, 2), (t32.Rows, t32.Columns));
        Assert.Equal(f32.data<float>().ToArray().Select(v => (double)v), t32.Values);
        var t64 = NpyFile.Read(p64);
        Assert.Equal(f64.data<double>().ToArray(), t64.Values);
        // NumPy requires the data to start on a 64-byte boundary for version 1.0 files it writes.
        Assert.Equal(0, (new FileInfo(p32).Length - (6 * 4)) % 64);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public void Write_ReplacesAnExistingFileWhole()
    {
        using var folder = new TempFolder();
        string path = folder.File("samples.npy");
        using (var big = torch.ones(100, 3))
        {
            NpyFile.Write(path, big);
        }
        using var small = torch.zeros(2, 3);
        NpyFile.Write(path, small);
        var table = NpyFile.Read(path);
        Assert.Equal(2, table.Rows);
        Assert.All(table.Values, v => Assert.Equal(0.0, v));
    }

    [Theory]
    [InlineData((byte)1)]
    [InlineData((byte)2)]
    [InlineData((byte)3)]
    public void Read_AcceptsFormatVersions(byte major)
    {
        using var folder = new TempFolder();
        string path = folder.WriteBytes("v.npy", NpyBytes(major, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }\n", Doubles(1, 2, 3, 4)));
        var table = NpyFile.Read(path);
        Assert.Equal([1.0, 2, 3, 4], table.Values);
        Assert.Equal(3.0, table[1, 0]);
    }

    [Fact]
    public void Read_OneDimensionalArrayIsOneColumn()
    {
        using var folder = new TempFolder();
        string path = folder.WriteBytes("v.npy", NpyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }\n", Doubles(1, 2, 3)));
        var table = NpyFile.Read(path);
        Assert.Equal((3, 1), (table.Rows, table.Columns));
    }

    [Fact]
    public void Read_AcceptsIntegerArrays()
    {
        using var folder = new TempFolder();
        var longs = new long[] { -3, 5, 1L << 40, 7 }.SelectMany(BitConverter.GetBytes).ToArray();
        var ints = new int[] { -3, 5 }.SelectMany(BitConverter.GetBytes).ToArray();
        string p8 = folder.WriteBytes("l.npy", NpyBytes(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2), }\n", longs));
        string p4 = folder.WriteBytes("i.npy", NpyBytes(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (1, 2), }\n", ints));
        Assert.Equal([-3.0, 5, 1L << 40, 7], NpyFile.Read(p8).Values);
        Assert.Equal([-3.0, 5], NpyFile.Read(p4).Values);
    }

    [Fact]
    public void Write_RefusesOtherShapesAndTypes()
    {
        using var folder = new TempFolder();
        using var cube = torch.zeros(2, 2, 2);
        using var ints = torch.zeros(new long[] { 2, 2 }, int64);
        Assert.Throws<ArgumentException>(() => NpyFile.Write(folder.File("x.npy"), cube));
        Assert.Throws<ArgumentException>(() => NpyFile.Write(folder.File("x.npy"), ints));
    }
}
