// Most of this project is eval and bench verbs (System.CommandLine commands over the host's services) that time their work and print invariant numbers through Spectre.Console.
global using System.CommandLine;
global using System.Diagnostics;
global using System.Globalization;
global using Microsoft.Extensions.DependencyInjection;
global using Spectre.Console;

// Its own metrics, the style encoder (every bench's yardstick is one of its forward passes) and the bench databases' Npgsql.
global using ArtGallery.Engines.Encoding;
global using ArtGallery.Evaluation.Recognition;
global using ArtGallery.Evaluation.Search;
global using ArtGallery.Evaluation.Studio;
global using Npgsql;
