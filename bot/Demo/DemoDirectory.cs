using CommunityBot.Directory;

namespace CommunityBot.Demo;

/// <summary>
/// Whether the directory in use is the shipped demo one: the demo's street office, compounds and workers, all of them
/// and no others. An office that imported its own directory (even one edited from the demo) never gets demo data.
/// </summary>
public static class DemoDirectory
{
    public static bool IsInUse(DirectorySnapshot current, DirectoryOptions options)
    {
        if (options.DemoFile is not { Length: > 0 } file || Path.Combine(AppContext.BaseDirectory, file) is not { } path || !File.Exists(path))
        {
            return false;
        }

        var demo = DirectoryJson.Read(path);
        var data = current.Data;
        return data.StreetOffice.Name == demo.StreetOffice.Name
            && Same(data.Compounds.Select(c => c.Id + "|" + c.Name), demo.Compounds.Select(c => c.Id + "|" + c.Name))
            && Same(data.Workers.Select(w => w.Id + "|" + w.Name), demo.Workers.Select(w => w.Id + "|" + w.Name))
            && Same(data.Communities.Select(c => c.Id), demo.Communities.Select(c => c.Id));
    }

    private static bool Same(IEnumerable<string> a, IEnumerable<string> b) => a.Order(StringComparer.Ordinal).SequenceEqual(b.Order(StringComparer.Ordinal));
}
