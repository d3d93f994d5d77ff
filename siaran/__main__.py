from siaran.cli import main

main()
