namespace Aem.Tests.Packaging;

/// <summary>The documentation shows the code CI builds.</summary>
public class DocsTests
{
    private static string Repository()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Aem.slnx"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("The repository root (Aem.slnx) was not found above the test binaries.");
    }

    [Fact]
    public void LibraryPage_ShowsTheQuickStartProgramUnchanged()
    {
        string root = Repository();
        string program = File.ReadAllText(Path.Combine(root, "samples", "QuickStart", "Program.cs"));
        string page = File.ReadAllText(Path.Combine(root, "docs", "library.md"));
        Assert.Contains("```csharp\n" + program + "```", page, StringComparison.Ordinal);
    }
}
