import PolyNetCommands

PolyNetCommand.main()
