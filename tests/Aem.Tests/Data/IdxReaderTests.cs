using System.Buffers.Binary;
using System.IO.Compression;
using Aem.Data;
using Aem.Vae;
using TorchSharp;

namespace Aem.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "aem-idx-" + Guid.NewGuid().ToString("N"));

    public IdxReaderTests()
    {
        Directory.CreateDirectory(directory);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>An IDX file: magic (ubyte type, dims.Length dimensions), big-endian sizes, then the values.</summary>
    internal static byte[] Idx(int[] dims, byte[] values, int? magic = null)
    {
        var bytes = new byte[4 + (4 * dims.Length) + values.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic ?? (0x0800 | dims.Length));
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dims[i]);
        values.CopyTo(bytes, 4 + (4 * dims.Length));
        return bytes;
    }

    internal static void WriteGzip(string path, byte[] content)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(content);
    }

    private static byte[] Values(int count) => Enumerable.Range(0, count).Select(i => (byte)((i * 37) % 256)).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_GivesTheHeaderShapeAndTheValuesInRowMajorOrder(bool gzip)
    {
        var values = Values(5 * 3 * 4);
        string path = Path.Combine(directory, "images");
        if (gzip) WriteGzip(path, Idx([5, 3, 4], values));
        else File.WriteAllBytes(path, Idx([5, 3, 4], values));

        using var images = IdxReader.ReadImages(path);

        Assert.Equal(new long[] { 5, 3, 4 }, images.shape);
        Assert.Equal(torch.ScalarType.Byte, images.dtype);
        Assert.Equal(values, images.data<byte>().ToArray());
        Assert.Equal(values[(2 * 12) + (1 * 4) + 3], images[2, 1, 3].item<byte>());
    }

    [Fact]
    public void ReadLabels_GivesOneValuePerItem()
    {
        string path = Path.Combine(directory, "labels.gz");
        WriteGzip(path, Idx([7], [0, 1, 2, 9, 4, 5, 6]));

        using var labels = IdxReader.ReadLabels(path);

        Assert.Equal(new long[] { 7 }, labels.shape);
        Assert.Equal(new byte[] { 0, 1, 2, 9, 4, 5, 6 }, labels.data<byte>().ToArray());
    }

    [Fact]
    public void BadMagic_IsRefusedWithTheFileAndTheNumber()
    {
        string path = Path.Combine(directory, "labels-as-images");
        File.WriteAllBytes(path, Idx([4], [1, 2, 3, 4]));                       // magic 2049

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("bad magic number 2049", error.Message, StringComparison.Ordinal);
        Assert.Contains("2051", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonIdxFile_IsRefused()
    {
        string path = Path.Combine(directory, "text.txt");
        File.WriteAllText(path, "hello, world");

        var error = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not an IDX file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, "truncated file")]
    [InlineData(3, "trailing data")]
    public void LengthDisagreeingWithTheHeader_IsRefused(int extraBytes, string problem)
    {
        var content = Idx([2, 2, 2], Values(8 + Math.Max(0, extraBytes)));
        if (extraBytes < 0) content = content[..^(-extraBytes)];
        string path = Path.Combine(directory, "bad-length.gz");
        WriteGzip(path, content);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("promises 8 values", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedHeader_IsRefused()
    {
        string path = Path.Combine(directory, "short");
        File.WriteAllBytes(path, Idx([2, 2, 2], [])[..10]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains("truncated header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MnistLoad_HoldsOutTheLastTrainingImagesAndScalesToGreyLevels()
    {
        var train = Values(10 * 28 * 28);
        var test = Values(3 * 28 * 28).Select(v => (byte)(255 - v)).ToArray();
        WriteGzip(Path.Combine(directory, Mnist.TrainImages + ".gz"), Idx([10, 28, 28], train));
        File.WriteAllBytes(Path.Combine(directory, Mnist.TestImages), Idx([3, 28, 28], test));

        using var data = Mnist.Load(directory, validationCount: 4);

        Assert.Equal(new long[] { 6, 1, 28, 28 }, data.Train.shape);
        Assert.Equal(new long[] { 4, 1, 28, 28 }, data.Validation.shape);
        Assert.Equal(new long[] { 3, 1, 28, 28 }, data.Test.shape);
        Assert.Equal(train[(6 * 784) + 5] / 255.0, data.Validation[0, 0, 0, 5].ToDouble(), 6);
        Assert.Equal(train[(5 * 784) + 100] / 255.0, data.Train[5, 0, 3, 16].ToDouble(), 6);
        Assert.Equal(test[(2 * 784) + 783] / 255.0, data.Test[2, 0, 27, 27].ToDouble(), 6);
    }

    [Fact]
    public void MnistLoad_NamesTheMissingFile()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Mnist.Load(directory));

        Assert.Contains(Mnist.TrainImages, error.Message, StringComparison.Ordinal);
    }
}
