using Aem.Checkpoints;
using Aem.Data;

namespace Aem.Cli.Running;

/// <summary>Loads the data a checkpoint is scored or drawn against, in the checkpoint's own units.</summary>
public static class CheckpointData
{
    /// <summary>
    /// The splits in the model's units. A user file is read raw and transformed with the checkpoint's
    /// standardizer (not one fitted again), so scores refer to the same transform the model learned in.
    /// </summary>
    public static DataSet InModelUnits(DataSpec spec, CheckpointManifest manifest, string checkpoint)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(manifest);
        spec.Validate();
        DataSet data;
        if (spec.File is not null && manifest.Standardizer is { } standardizer)
        {
            using var raw = DataCatalog.Load(spec.ToRequest(rawUserFile: true));
            CheckDimension(raw, spec, manifest, checkpoint);
            data = new DataSet(raw.Name, standardizer.Transform(raw.Train), standardizer.Transform(raw.Validation), standardizer.Transform(raw.Test), standardizer);
        }
        else
        {
            data = DataCatalog.Load(spec.ToRequest(rawUserFile: spec.File is not null));
        }
        CheckDimension(data, spec, manifest, checkpoint);
        return data;
    }

    /// <summary>The splits in the data's own units (for figures): user files raw, other sets as loaded, un-standardised.</summary>
    public static DataSet InDataUnits(DataSpec spec, CheckpointManifest manifest, string checkpoint)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var data = DataCatalog.Load(spec.ToRequest(rawUserFile: true));
        CheckDimension(data, spec, manifest, checkpoint);
        if (data.Standardizer is not { } standardizer) return data;
        using (data)
        {
            return new DataSet(data.Name, standardizer.Inverse(data.Train), standardizer.Inverse(data.Validation), standardizer.Inverse(data.Test), null);
        }
    }

    private static void CheckDimension(DataSet data, DataSpec spec, CheckpointManifest manifest, string checkpoint)
    {
        if (data.Features == manifest.Model.Features) return;
        string problem = $"{data.Features} columns, but the checkpoint {checkpoint} models {manifest.Model.Features} dimensions";
        data.Dispose();
        if (spec.File is { } file) throw new DataFormatException(file, problem);
        throw new UsageException($"{spec.Name}: {problem}.");
    }
}
