# The two commands: `make run` starts the assistant, `make test` runs every test. Both set everything up.
SHELL := /bin/bash
STAMP := .venv/.requirements.sha256
MODEL := models/assistant.tar.gz
TRAINING_INPUTS := config.yml domain.yml $(wildcard bot/data/*.yml) $(wildcard bot/nlu/*.py)

.PHONY: run test bench bench-console soak train venv clean

run: $(MODEL)
	bash scripts/run.sh

test: $(MODEL)
	bash scripts/test.sh

bench: $(MODEL)
	bash scripts/bench.sh

bench-console: $(STAMP)
	bash scripts/bench.sh console

soak: $(MODEL)
	bash scripts/bench.sh soak

train: $(MODEL)

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt requirements-model.txt scripts/bootstrap.sh
	bash scripts/bootstrap.sh

# The model depends on the runtime requirements only, so a new test tool does not retrain it.
$(MODEL): requirements.txt requirements-model.txt $(TRAINING_INPUTS) | $(STAMP)
	bash scripts/train.sh

clean:
	rm -rf models .rasa results var
