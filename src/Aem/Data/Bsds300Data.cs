using PureHDF;
using PureHDF.VOL.Native;
using static TorchSharp.torch;

namespace Aem.Data;

/// <summary>
/// BSDS300 as the MAF authors ship it: <c>BSDS300/BSDS300.hdf5</c> with 2-D float datasets
/// <c>train</c>, <c>validation</c> and <c>test</c> (63 columns: 8×8 patches without their last pixel),
/// used as they are (SPEC §2.2).
/// </summary>
internal static class Bsds300Data
{
    public static IReadOnlyList<string> Splits { get; } = ["train", "validation", "test"];

    public static DataSet Load(string? directory)
    {
        string path = DataPaths.Find(directory, "BSDS300", "BSDS300.hdf5");
        var tensors = new List<Tensor>();
        try
        {
            using var file = OpenFile(path);
            foreach (string split in Splits)
            {
                tensors.Add(ReadSplit(file, split, path));
            }
            long columns = tensors[0].shape[1];
            int odd = tensors.FindIndex(t => t.shape[1] != columns);
            if (odd >= 0)
            {
                throw new DataFormatException(path, $"dataset '{Splits[odd]}' has {tensors[odd].shape[1]} columns but 'train' has {columns}");
            }
            return new DataSet("bsds300", tensors[0], tensors[1], tensors[2], Standardizer: null);
        }
        catch
        {
            tensors.ForEach(t => t.Dispose());
            throw;
        }
    }

    private static NativeFile OpenFile(string path)
    {
        TextFiles.OpenRead(path).Dispose();
        try
        {
            return H5File.OpenRead(path);
        }
        catch (Exception e) when (e is not DataFormatException)
        {
            throw new DataFormatException(path, $"not a readable HDF5 file ({e.Message})", e);
        }
    }

    private static Tensor ReadSplit(NativeFile file, string name, string path)
    {
        if (!file.LinkExists(name))
        {
            throw new DataFormatException(path, $"has no dataset '{name}' (expected {string.Join(", ", Splits)})");
        }
        try
        {
            var dataset = file.Dataset(name);
            var dims = dataset.Space.Dimensions;
            if (dims.Length != 2 || dims[0] == 0 || dims[1] == 0)
            {
                throw new DataFormatException(path, $"dataset '{name}' has shape [{string.Join(", ", dims)}]; expected [N, D]");
            }
            if (dataset.Type.Class != H5DataTypeClass.FloatingPoint || dataset.Type.Size is not (4 or 8))
            {
                throw new DataFormatException(path, $"dataset '{name}' holds {dataset.Type.Class} values of {dataset.Type.Size} bytes; expected float32 or float64");
            }
            int rows = checked((int)dims[0]), columns = checked((int)dims[1]);
            float[] values = dataset.Type.Size == 4 ? dataset.Read<float[]>() : ToFloat(dataset.Read<double[]>(), columns, name, path);
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    throw new DataFormatException(path, (i / columns) + 1, (i % columns) + 1, $"dataset '{name}': {values[i]} is not a finite number");
                }
            }
            return tensor(values, [rows, columns]);
        }
        catch (Exception e) when (e is not DataFormatException)
        {
            throw new DataFormatException(path, $"dataset '{name}' cannot be read ({e.Message})", e);
        }
    }

    private static float[] ToFloat(double[] values, int columns, string name, string path)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]) || Math.Abs(values[i]) > float.MaxValue)
            {
                throw new DataFormatException(path, (i / columns) + 1, (i % columns) + 1, $"dataset '{name}': {values[i]} is not a finite float32 number");
            }
            result[i] = (float)values[i];
        }
        return result;
    }
}
