snapshot-create-as test h1 --halt
snapshot-create-as test h2
snapshot-revert test h1
domstate test --reason
snapshot-revert test h2 --paused
domstate test --reason
snapshot-revert --current test --running
domstate test --reason
