"""Board table and the choices offered to the user."""

import pytest
from rtvirt.lab.boards import BOARDS, check_kernel, get_board
from rtvirt.transports.lab import open_stream, parse
from rtvirt_agent.wire.errors import UsageError


def test_unknown_board_lists_the_boards():
    with pytest.raises(UsageError, match="x86, imx8mp, arm64, jailhouse-arm64") as error:
        get_board("rpi")
    assert error.value.exit_code == 2


def test_unknown_kernel_lists_the_series():
    with pytest.raises(UsageError, match="6.1, 6.12"):
        check_kernel("5.10")


@pytest.mark.parametrize(("board", "kernel", "shared", "agent_tty"), [
    ("x86", "6.1", False, "ttyS1"),
    ("x86", "6.1", True, "ttyS0"),
    ("imx8mp", "6.12", False, "ttymxc0"),
    ("imx8mp", "6.1", False, "ttymxc1"),  # the 6.1 DTB enables only the console UART
    ("arm64", "6.12", False, "ttyAMA1"),
    ("jailhouse-arm64", "6.12", False, "ttyAMA0"),  # UART1 is the Linux inmate's
])
def test_agent_uart(board, kernel, shared, agent_tty):
    assert get_board(board).agent_tty(kernel, shared) == agent_tty


def test_every_board_has_distinct_console_and_agent_uarts_unless_it_always_shares():
    for board in BOARDS.values():
        always_shared = set(board.kernels) <= set(board.console_only_kernels)
        assert (board.console_uart != board.agent_uart) != always_shared
        uarts = (board.console_uart, board.agent_uart, board.inmate_uart or 0)
        assert max(uarts) < len(board.tty_names)
        assert board.inmate_uart not in (board.console_uart, board.agent_uart)


def test_a_board_refuses_a_kernel_it_cannot_boot():
    with pytest.raises(UsageError, match="for board jailhouse-arm64: choose one of 6.12"):
        check_kernel("6.1", get_board("jailhouse-arm64"))


def test_lab_uri_options():
    assert parse("x86") == ("x86", None, False, False, "agent")
    assert parse("imx8mp?kernel=6.1&shared-console=1") == \
        ("imx8mp", "6.1", True, False, "agent")
    assert parse("x86?login-console=1") == ("x86", None, False, True, "agent")
    assert parse("jailhouse-arm64?uart=inmate") == \
        ("jailhouse-arm64", None, False, False, "inmate")
    with pytest.raises(UsageError, match="unknown option"):
        parse("x86?baud=9600")
    with pytest.raises(UsageError, match="uart must be one of agent, inmate, not 'ttyS1'"):
        parse("x86?uart=ttyS1")
    for both in ("x86?login-console=1&shared-console=1", "x86?login-console=1&uart=inmate"):
        with pytest.raises(UsageError, match="login-console is the only UART"):
            parse(both)


def test_an_inmate_uart_only_on_a_board_that_has_one(monkeypatch, tmp_path):
    monkeypatch.setenv("RTVIRT_LAB_RUN", str(tmp_path))
    with pytest.raises(UsageError, match="board x86 has no Jailhouse Linux inmate UART"):
        open_stream("x86?uart=inmate")
    assert not (tmp_path / "x86").exists()  # refused before anything was built or booted


def test_imx8mp_pcie_modules_only_with_a_kernel_that_has_the_phy_driver():
    board = get_board("imx8mp")
    assert "phy-fsl-imx8m-pcie" in board.kernel_modules("6.12")
    assert board.kernel_modules("6.1") == ()
    assert get_board("x86").kernel_modules("6.1") == ()
