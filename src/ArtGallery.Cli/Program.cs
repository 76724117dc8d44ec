using System.CommandLine;
using ArtGallery.Cli.Verbs;

var root = new RootCommand("ArtGallery operator commands: import, export, embed, seed the demo, evaluate, benchmark.")
{
    MigrateVerb.Create(),
    SeedDemoVerb.Create(),
    DemoImagesVerb.Create(),
    ImportVerb.Create(),
    ImportFolderVerb.Create(),
    ExportVerb.Create(),
    EmbedVerb.Create(),
    BenchVerb.Create(),
    StudioVerb.Create(),
    EvalVerb.Create(),
    MusicVerb.Create(),
};
return await root.Parse(args).InvokeAsync();
