using System.CommandLine;
using ArtGallery.Cli.Verbs;

var root = new RootCommand("ArtGallery operator commands: import, embed, seed the demo, evaluate, benchmark.")
{
    MigrateVerb.Create(),
    SeedDemoVerb.Create(),
    ImportFolderVerb.Create(),
    EmbedVerb.Create(),
    BenchVerb.Create(),
    EvalVerb.Create(),
};
return await root.Parse(args).InvokeAsync();
