"""A programme's results framework: expected results, indicators with targets by sex, measurements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ksm_desktop.db.models import Programme
from ksm_desktop.db.models_fieldwork import ExpectedResult, Indicator, Measurement
from ksm_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from ksm_desktop.domain.values import optional_text, required_text, to_figure
from ksm_desktop.i18n import _
from ksm_desktop.services.base import Service
from ksm_desktop.services.dto_fieldwork import (
    IndicatorDTO,
    IndicatorInput,
    IndicatorProgress,
    MeasurementDTO,
    MeasurementInput,
    ResultDTO,
)


def _value(value: Decimal | int | str | None, field: str, *, required: bool = True) -> Decimal | None:
    """A non-negative figure with three places (people, hectares, percentages…)."""
    if value is None:
        if required:
            raise ValidationError(_("A value is required."), field)
        return None
    number = to_figure(value, field, _("“{value}” is not a valid number."))
    if number < 0:
        raise ValidationError(_("The value cannot be negative."), field)
    return number


def _measurement_values(data: MeasurementInput) -> dict[str, Any]:
    """The columns of a measurement, checked on their own (the indicator's rules come after)."""
    value = _value(data.value, "value")
    assert value is not None
    women = _value(data.women, "women", required=False)
    men = _value(data.men, "men", required=False)
    if data.measured_on is None or data.measured_on > dt.date.today():
        raise ValidationError(_("The measurement date cannot be in the future."), "measured_on")
    _check_split(value, women, men, "women")
    return {
        "measured_on": data.measured_on,
        "value": value,
        "women": women,
        "men": men,
        "note": optional_text(data.note),
    }


def _check_measurement(indicator: Indicator, values: dict[str, Any], current: Measurement | None) -> None:
    """By sex only where the indicator is; one measurement per date."""
    if indicator.target_women is None and values["women"] is not None:
        raise ValidationError(_("This indicator is not counted by sex."), "women")
    if any(m.measured_on == values["measured_on"] and m is not current for m in indicator.measurements):
        raise ConflictError(
            _("A value is already recorded on {date}.").format(date=values["measured_on"].isoformat()),
            "measured_on",
        )


def _check_split(total: Decimal, women: Decimal | None, men: Decimal | None, field: str) -> None:
    """Women and men go together and add up to the total."""
    if (women is None) != (men is None):
        raise ValidationError(_("Give both the women and the men figures, or neither."), field)
    if women is not None and men is not None and women + men != total:
        raise ValidationError(
            _("Women ({women}) and men ({men}) must add up to {total}.").format(
                women=women.normalize(), men=men.normalize(), total=total.normalize()
            ),
            field,
        )


def _measurement_dto(m: Measurement) -> MeasurementDTO:
    return MeasurementDTO(m.id, m.measured_on, m.value, m.women, m.men, m.note)


def _indicator_dto(i: Indicator) -> IndicatorDTO:
    return IndicatorDTO(
        id=i.id,
        result_id=i.result_id,
        code=i.code,
        name=i.name,
        unit=i.unit,
        baseline=i.baseline,
        target=i.target,
        target_women=i.target_women,
        target_men=i.target_men,
        measurements=tuple(_measurement_dto(m) for m in i.measurements),
    )


def _result_dto(r: ExpectedResult) -> ResultDTO:
    return ResultDTO(
        r.id, r.programme_id, r.code, r.statement, tuple(_indicator_dto(i) for i in r.indicators)
    )


def _get_result(session: Session, result_id: int) -> ExpectedResult:
    result = session.get(ExpectedResult, result_id)
    if result is None:
        raise NotFoundError(_("Unknown result (id {id}).").format(id=result_id), "result")
    return result


def _get_indicator(session: Session, indicator_id: int) -> Indicator:
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        raise NotFoundError(_("Unknown indicator (id {id}).").format(id=indicator_id), "indicator")
    return indicator


def _get_measurement(session: Session, measurement_id: int) -> Measurement:
    measurement = session.get(Measurement, measurement_id)
    if measurement is None:
        raise NotFoundError(_("Unknown measurement (id {id}).").format(id=measurement_id), "measurement")
    return measurement


class ResultService(Service):
    def add_result(self, programme_id: int, code: str, statement: str) -> ResultDTO:
        clean_code = required_text(code, "code", _("Code")).upper()
        text = required_text(statement, "statement", _("Expected result"))
        with self._write() as session:
            if session.get(Programme, programme_id) is None:
                raise NotFoundError(_("Unknown programme (id {id}).").format(id=programme_id), "programme")
            taken = session.scalar(
                select(ExpectedResult.id).where(
                    ExpectedResult.programme_id == programme_id, ExpectedResult.code == clean_code
                )
            )
            if taken is not None:
                raise ConflictError(
                    _("The programme already has a result {code}.").format(code=clean_code),
                    "code",
                    existing_id=taken,
                )
            result = ExpectedResult(programme_id=programme_id, code=clean_code, statement=text)
            session.add(result)
            session.flush()
            return _result_dto(result)

    def update_result(self, result_id: int, statement: str) -> ResultDTO:
        text = required_text(statement, "statement", _("Expected result"))
        with self._write() as session:
            result = _get_result(session, result_id)
            result.statement = text
            return _result_dto(result)

    def delete_result(self, result_id: int) -> None:
        """The result goes with its indicators and their measurements."""
        with self._write() as session:
            session.delete(_get_result(session, result_id))

    def results_of(self, programme_id: int) -> list[ResultDTO]:
        with self.db.reading() as session:
            stmt = (
                select(ExpectedResult)
                .where(ExpectedResult.programme_id == programme_id)
                .order_by(ExpectedResult.code)
            )
            return [_result_dto(r) for r in session.scalars(stmt)]

    def add_indicator(self, result_id: int, data: IndicatorInput) -> IndicatorDTO:
        values = self._validate_indicator(data)
        with self._write() as session:
            result = _get_result(session, result_id)
            if any(i.code == values["code"] for i in result.indicators):
                raise ConflictError(
                    _("The result already has an indicator {code}.").format(code=values["code"]), "code"
                )
            indicator = Indicator(**values)
            result.indicators.append(indicator)
            session.flush()
            return _indicator_dto(indicator)

    def update_indicator(self, indicator_id: int, data: IndicatorInput) -> IndicatorDTO:
        values = self._validate_indicator(data)
        with self._write() as session:
            indicator = _get_indicator(session, indicator_id)
            clash = session.scalar(
                select(Indicator.id).where(
                    Indicator.result_id == indicator.result_id,
                    Indicator.code == values["code"],
                    Indicator.id != indicator_id,
                )
            )
            if clash is not None:
                raise ConflictError(
                    _("The result already has an indicator {code}.").format(code=values["code"]), "code"
                )
            for key, value in values.items():
                setattr(indicator, key, value)
            session.flush()
            return _indicator_dto(indicator)

    def delete_indicator(self, indicator_id: int) -> None:
        with self._write() as session:
            session.delete(_get_indicator(session, indicator_id))

    def record(self, indicator_id: int, data: MeasurementInput) -> IndicatorDTO:
        """Record the indicator's value on a date (one measurement per date: recording again
        on the same date is refused, correct that measurement instead)."""
        values = _measurement_values(data)
        with self._write() as session:
            indicator = _get_indicator(session, indicator_id)
            _check_measurement(indicator, values, None)
            indicator.measurements.append(Measurement(**values))
            session.flush()
            session.refresh(indicator, ["measurements"])
            return _indicator_dto(indicator)

    def update_measurement(self, measurement_id: int, data: MeasurementInput) -> IndicatorDTO:
        """Correct a measurement typed wrong, with the same rules as recording it."""
        values = _measurement_values(data)
        with self._write() as session:
            measurement = _get_measurement(session, measurement_id)
            indicator = _get_indicator(session, measurement.indicator_id)
            _check_measurement(indicator, values, measurement)
            for key, value in values.items():
                setattr(measurement, key, value)
            session.flush()
            session.refresh(indicator, ["measurements"])
            return _indicator_dto(indicator)

    def delete_measurement(self, measurement_id: int) -> None:
        with self._write() as session:
            session.delete(_get_measurement(session, measurement_id))

    def progress(self, programme_id: int) -> list[IndicatorProgress]:
        """Every indicator of the programme: target and latest value, overall and by sex."""
        rows = []
        for result in self.results_of(programme_id):
            for i in result.indicators:
                last = i.achieved
                rows.append(
                    IndicatorProgress(
                        result_code=result.code,
                        indicator_code=i.code,
                        name=i.name,
                        unit=i.unit,
                        baseline=i.baseline,
                        target=i.target,
                        achieved=last.value if last else None,
                        progress=i.progress,
                        target_women=i.target_women,
                        achieved_women=last.women if last else None,
                        target_men=i.target_men,
                        achieved_men=last.men if last else None,
                    )
                )
        return rows

    def _validate_indicator(self, data: IndicatorInput) -> dict[str, object]:
        target = _value(data.target, "target")
        baseline = _value(data.baseline, "baseline")
        assert target is not None and baseline is not None
        women = _value(data.target_women, "target_women", required=False)
        men = _value(data.target_men, "target_men", required=False)
        _check_split(target, women, men, "target_women")
        return {
            "code": required_text(data.code, "code", _("Code")).upper(),
            "name": required_text(data.name, "name", _("Indicator")),
            "unit": required_text(data.unit, "unit", _("Unit")),
            "baseline": baseline,
            "target": target,
            "target_women": women,
            "target_men": men,
        }
