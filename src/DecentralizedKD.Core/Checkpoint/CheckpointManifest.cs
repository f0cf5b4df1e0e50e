using System.Text.Json;
using System.Text.Json.Serialization;

namespace DecentralizedKD.Core.Checkpoint;

/// <summary>
/// DIR/checkpoint/manifest.json: the commit point of a checkpoint. It names the format, the round and the folder
/// holding that round's state files; it is replaced atomically (write a temporary file, flush, rename), so at any
/// instant it names a complete checkpoint — a run killed while writing the next one still has the previous one.
/// </summary>
public sealed record CheckpointManifest(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("round")] int Round,
    [property: JsonPropertyName("rounds")] int Rounds,
    [property: JsonPropertyName("agents")] int Agents,
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("config_sha256")] string ConfigHash,
    [property: JsonPropertyName("directory")] string Directory)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public void WriteAtomically(string path)
    {
        string temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, this, Options);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);   // rename(2): atomic on POSIX file systems
    }

    public static CheckpointManifest Read(string path)
    {
        if (!File.Exists(path))
            throw new InputException($"no checkpoint: '{path}' not found (checkpoints are written when experiment.checkpoint.every > 0)");
        try
        {
            return JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(path))
                ?? throw new JsonException("empty document");
        }
        catch (JsonException e)
        {
            throw new InputException($"checkpoint manifest '{path}' is corrupt ({e.Message.ReplaceLineEndings(" ")})");
        }
    }
}
