using static TorchSharp.torch;

namespace Aem.Data;

/// <summary>Loads a <see cref="DataSet"/> for a <see cref="DataRequest"/>.</summary>
public static class DataCatalog
{
    public static DataSet Load(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string name = request.Dataset ?? throw new ArgumentException("Name a dataset.", nameof(request));
        if (Synthetic2D.Names.Contains(name))
        {
            // Distinct seeds per split so held-out points are fresh draws of the same density.
            var train = Synthetic2D.GenerateTensor(name, request.SyntheticTrainPoints, request.Seed);
            var validation = Synthetic2D.GenerateTensor(name, request.SyntheticHeldOutPoints, request.Seed + 1_000_003);
            var test = Synthetic2D.GenerateTensor(name, request.SyntheticHeldOutPoints, request.Seed + 2_000_006);
            return new DataSet(name, train, validation, test, Standardizer: null);
        }
        throw new ArgumentException($"Unknown dataset '{name}'; choose one of {string.Join(", ", Synthetic2D.Names)}.", nameof(request));
    }
}
