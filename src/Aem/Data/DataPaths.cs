namespace Aem.Data;

/// <summary>
/// Finds a paper dataset's file. The data directory may be the MAF archive's root (holding
/// <c>power/</c>, <c>gas/</c>, ...), the dataset's own folder, or the file itself.
/// </summary>
internal static class DataPaths
{
    /// <summary>
    /// The first of <c>directory/folder/name</c>, <c>directory/name</c> (for each name in turn) that exists;
    /// <paramref name="directory"/> itself when it is a file. Null directory means the working directory.
    /// </summary>
    public static string Find(string? directory, string folder, params string[] names)
    {
        string root = string.IsNullOrEmpty(directory) ? "." : directory;
        if (File.Exists(root))
        {
            return root;
        }
        var candidates = names.SelectMany(name => new[] { Path.Combine(root, folder, name), Path.Combine(root, name) }).ToArray();
        var found = candidates.FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }
        string problem = Directory.Exists(root)
            ? $"not found (also looked for {string.Join(", ", candidates.Skip(1))})"
            : $"not found: the data directory '{root}' does not exist";
        throw new DataFormatException(candidates[0], problem);
    }

    /// <summary>Like <see cref="Find"/> but refuses a file: for datasets made of several files.</summary>
    public static string FindInFolder(string? directory, string folder, string name)
    {
        if (!string.IsNullOrEmpty(directory) && File.Exists(directory))
        {
            throw new DataFormatException(directory, $"is a file; give the folder holding {folder}/{name}");
        }
        return Find(directory, folder, name);
    }
}
