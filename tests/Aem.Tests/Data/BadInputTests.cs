using Aem.Data;
using SkiaSharp;

namespace Aem.Tests.Data;

/// <summary>Every kind of bad input gives a one-line <see cref="DataFormatException"/> naming the file, row and column.</summary>
public class BadInputTests
{
    private static DataFormatException LoadFails(DataRequest request) =>
        Assert.Throws<DataFormatException>(() => DataCatalog.Load(request).Dispose());

    private static DataFormatException FileFails(string path, bool standardize = true) =>
        LoadFails(new DataRequest { File = path, Standardize = standardize });

    private static void AssertAt(DataFormatException error, string file, int? row, int? column, string problem)
    {
        Assert.Equal(file, error.File);
        Assert.Equal(row, error.Row);
        Assert.Equal(column, error.Column);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(file + ": ", error.Message, StringComparison.Ordinal);
        if (row is int r)
        {
            Assert.Contains($"row {r}", error.Message, StringComparison.Ordinal);
        }
        if (column is int c)
        {
            Assert.Contains($"column {c}", error.Message, StringComparison.Ordinal);
        }
        Assert.DoesNotContain('\n', error.Message);
    }

    private static string Rows(int n, int columns = 2) =>
        string.Concat(Enumerable.Range(0, n).Select(i => string.Join(",", Enumerable.Range(0, columns).Select(c => (i * (c + 1)) + c)) + "\n"));

    [Fact]
    public void MissingFile_IsNamed()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "nope.csv");
        AssertAt(FileFails(path), path, null, null, "not found");
        string npy = Path.Combine(folder.Path, "nope.npy");
        AssertAt(FileFails(npy), npy, null, null, "not found");
    }

    [Fact]
    public void FolderInsteadOfFile_IsUnreadable()
    {
        using var folder = new TempFolder();
        AssertAt(FileFails(folder.Path), folder.Path, null, null, "is a folder");
    }

    [Theory]
    [InlineData("empty.csv", "")]
    [InlineData("blank.csv", "\n  \n\t\n")]
    [InlineData("empty.npy", "")]
    public void EmptyFile_IsRefused(string name, string text)
    {
        using var folder = new TempFolder();
        string path = folder.WriteText(name, text);
        AssertAt(FileFails(path), path, null, null, "empty");
    }

    [Fact]
    public void HeaderWithoutRows_IsRefused()
    {
        using var folder = new TempFolder();
        string path = folder.WriteText("h.csv", "x,y\n");
        AssertAt(FileFails(path), path, null, null, "no data rows");
    }

    [Fact]
    public void RaggedRows_NameRowAndColumn()
    {
        using var folder = new TempFolder();
        string longer = folder.WriteText("long.csv", "x,y\n1,2\n3,4,5\n");
        AssertAt(FileFails(longer), longer, 3, 3, "3 values, expected 2");
        string shorter = folder.WriteText("short.csv", "1 2 3\n4 5 6\n\n7 8\n");
        AssertAt(FileFails(shorter), shorter, 4, 3, "2 values, expected 3");
    }

    [Fact]
    public void NonNumericCell_NamesRowAndColumn()
    {
        using var folder = new TempFolder();
        string path = folder.WriteText("data.csv", "a,b,c\n1,2,3\n4,5,abc\n");
        AssertAt(FileFails(path), path, 3, 3, "'abc' is not a number");
        string comma = folder.WriteText("comma.csv", "1;2\n3,5;4\n");
        AssertAt(FileFails(comma), comma, 2, 1, "use '.' for decimals");
        string empty = folder.WriteText("cell.csv", "1,2\n3,\n");
        AssertAt(FileFails(empty), empty, 2, 2, "empty cell");
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("NaN")]
    [InlineData("inf")]
    [InlineData("-Infinity")]
    public void NonFiniteText_NamesRowAndColumn(string cell)
    {
        using var folder = new TempFolder();
        string path = folder.WriteText("d.csv", $"1,2\n3,4\n5,{cell}\n");
        AssertAt(FileFails(path), path, 3, 2, "is not a finite number");
    }

    [Fact]
    public void NonFiniteNpy_NamesRowAndColumn()
    {
        using var folder = new TempFolder();
        var data = NpyFileTests.Doubles(1, 2, 3, double.PositiveInfinity, 5, 6);
        string path = folder.WriteBytes("d.npy", NpyFileTests.NpyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }\n", data));
        AssertAt(FileFails(path), path, 2, 2, "is not a finite number");
    }

    [Fact]
    public void BeyondFloat32_NamesRowAndColumn()
    {
        using var folder = new TempFolder();
        string path = folder.WriteText("big.csv", Rows(20) + "1e300,1\n");
        var error = FileFails(path, standardize: false);
        Assert.Equal(path, error.File);
        Assert.Equal(1, error.Column);
        Assert.Contains("float32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedNpy_IsRefused()
    {
        using var folder = new TempFolder();
        string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }\n";
        string shortData = folder.WriteBytes("short.npy", NpyFileTests.NpyBytes(1, header, NpyFileTests.Doubles(1, 2, 3)));
        AssertAt(FileFails(shortData), shortData, null, null, "truncated");
        var whole = NpyFileTests.NpyBytes(1, header, []);
        string shortHeader = folder.WriteBytes("header.npy", whole[..20]);
        AssertAt(FileFails(shortHeader), shortHeader, null, null, "truncated");
    }

    [Fact]
    public void CorruptNpy_IsRefused()
    {
        using var folder = new TempFolder();
        string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }\n";
        string trailing = folder.WriteBytes("trail.npy", NpyFileTests.NpyBytes(1, header, NpyFileTests.Doubles(1, 2, 3)));
        AssertAt(FileFails(trailing), trailing, null, null, "corrupt");
        string magic = folder.WriteText("text.npy", "1,2\n3,4\n");
        AssertAt(FileFails(magic), magic, null, null, "not a .npy file");
        string garbled = folder.WriteBytes("garbled.npy", NpyFileTests.NpyBytes(1, "{'descr': '<f8', 'shape': (1, 2)}\n", NpyFileTests.Doubles(1, 2)));
        AssertAt(FileFails(garbled), garbled, null, null, "corrupt .npy header");
        string version = folder.WriteBytes("v9.npy", NpyFileTests.NpyBytes(9, header, NpyFileTests.Doubles(1, 2)));
        AssertAt(FileFails(version), version, null, null, "version 9.0");
    }

    [Theory]
    [InlineData("<c16", "dtype '<c16' is not supported")]
    [InlineData("|b1", "dtype '|b1' is not supported")]
    [InlineData(">f8", "big-endian")]
    public void WrongDtype_IsRefused(string descr, string problem)
    {
        using var folder = new TempFolder();
        string path = folder.WriteBytes("t.npy", NpyFileTests.NpyBytes(1, $"{{'descr': '{descr}', 'fortran_order': False, 'shape': (1, 2), }}\n", new byte[32]));
        AssertAt(FileFails(path), path, null, null, problem);
    }

    [Fact]
    public void FortranOrderAndWrongShape_AreRefused()
    {
        using var folder = new TempFolder();
        string fortran = folder.WriteBytes("f.npy", NpyFileTests.NpyBytes(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (1, 2), }\n", NpyFileTests.Doubles(1, 2)));
        AssertAt(FileFails(fortran), fortran, null, null, "Fortran");
        string cube = folder.WriteBytes("c.npy", NpyFileTests.NpyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 2), }\n", NpyFileTests.Doubles(1, 2)));
        AssertAt(FileFails(cube), cube, null, null, "3-D");
        string scalar = folder.WriteBytes("s.npy", NpyFileTests.NpyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }\n", NpyFileTests.Doubles(1)));
        AssertAt(FileFails(scalar), scalar, null, null, "scalar");
    }

    [Fact]
    public void ConstantColumn_IsNamedWithAdviceToDropIt()
    {
        using var folder = new TempFolder();
        var text = "x,speed,z\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i},2.5,{i * i}\n"));
        string path = folder.WriteText("const.csv", text);
        var error = FileFails(path);
        AssertAt(error, path, null, 2, "column 2: 'speed' is constant");
        Assert.Contains("drop", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooFewRows_ForTheSplit()
    {
        using var folder = new TempFolder();
        string path = folder.WriteText("few.csv", Rows(10));
        AssertAt(FileFails(path), path, null, null, "10 rows: too few");
        string power = folder.WriteNpy(Path.Combine("power", "data.npy"), new double[5, 8]);
        AssertAt(LoadFails(new DataRequest { Dataset = "power", DataDirectory = folder.Path }), power, null, null, "too few");
    }

    [Fact]
    public void BlankImage_IsRefused()
    {
        using var folder = new TempFolder();
        string path = TestImages.WriteGrey(folder.File("black.png"), new byte[16, 16]);
        AssertAt(LoadFails(new DataRequest { Dataset = "image:" + path, SyntheticTrainPoints = 10, SyntheticHeldOutPoints = 10 }), path, null, null, "blank");
    }

    [Fact]
    public void CorruptImage_IsRefused()
    {
        using var folder = new TempFolder();
        string path = folder.WriteText("photo.png", "this is not a picture");
        AssertAt(LoadFails(new DataRequest { Image = path }), path, null, null, "not a readable image");
        var png = File.ReadAllBytes(TestImages.WriteGrey(folder.File("ok.png"), new byte[64, 64], SKEncodedImageFormat.Png));
        string cut = folder.WriteBytes("cut.png", png[..40]);
        Assert.Equal(cut, LoadFails(new DataRequest { Image = cut }).File);
    }

    [Fact]
    public void MissingPaperFile_NamesTheExpectedPath()
    {
        using var folder = new TempFolder();
        foreach (var (name, expected) in new[]
        {
            ("power", Path.Combine(folder.Path, "power", "data.npy")),
            ("miniboone", Path.Combine(folder.Path, "miniboone", "data.npy")),
            ("hepmass", Path.Combine(folder.Path, "hepmass", "1000_train.csv")),
            ("gas", Path.Combine(folder.Path, "gas", "ethylene_CO.npy")),
            ("bsds300", Path.Combine(folder.Path, "BSDS300", "BSDS300.hdf5")),
            ("bsds300-images", Path.Combine(folder.Path, "images", "train")),
        })
        {
            var error = LoadFails(new DataRequest { Dataset = name, DataDirectory = folder.Path });
            Assert.Equal(expected, error.File);
            Assert.Contains("not found", error.Message, StringComparison.Ordinal);
        }
    }
}
